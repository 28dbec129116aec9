import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { createPool, databaseUrl, ensureDatabase, MigrationError, migrate, readMigrations } from "@toko/kit";
import type pg from "pg";
import { LauncherError, type ServiceSpec } from "./manifest.ts";
import type { Output } from "./output.ts";

/** The database every service shares for the Postgres event bus. */
export const BUS_DATABASE = "bus";

/** Creates a database unless it exists, naming its owner when that fails. */
async function createDatabase(admin: pg.Pool, name: string, owner: string): Promise<void> {
  try {
    await ensureDatabase(admin, name);
  } catch (error) {
    throw new LauncherError(`${owner}: could not create database ${name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Creates the bus database and each service's database, then applies each service's
 * `migrations/`. The first failure stops everything, naming the service and the file.
 */
export async function prepareDatabases(
  adminUrl: string,
  specs: readonly ServiceSpec[],
  root: string,
  output: Output,
): Promise<void> {
  const admin = createPool({ url: adminUrl, max: 1, applicationName: "toko-launcher" });
  try {
    await createDatabase(admin, BUS_DATABASE, "the event bus");
    for (const spec of specs) if (spec.database) await createDatabase(admin, spec.database, spec.name);
  } finally {
    await admin.end();
  }
  for (const spec of specs) {
    if (!spec.database) continue;
    const dir = join(spec.dir, "migrations");
    if (!existsSync(dir)) continue;
    const pool = createPool({
      url: databaseUrl(adminUrl, spec.database),
      max: 1,
      applicationName: "toko-launcher",
    });
    try {
      const applied = await migrate(pool, readMigrations(dir));
      output.info(
        applied.length > 0
          ? `${spec.name}: applied ${applied.join(", ")} to database ${spec.database}`
          : `${spec.name}: database ${spec.database} is up to date`,
      );
    } catch (error) {
      if (error instanceof MigrationError) {
        const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
        throw new LauncherError(
          `${spec.name}: migration ${relative(root, join(dir, error.file))} failed: ${cause}`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      await pool.end();
    }
  }
}
