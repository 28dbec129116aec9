import { resolve } from "node:path";
import { z } from "zod";
import { env, loadConfig } from "../config/config.ts";
import { kitMigrations } from "../events/migrations.ts";
import { createLogger } from "../log/logger.ts";
import { createPool } from "./database.ts";
import { migrate, readMigrations } from "./migrations.ts";

const schema = z.object({
  /** The deployable, relative to the repository root (`services/order`), as the image sets it. */
  SERVICE: z.string().regex(/^services\/[a-z][a-z0-9-]*$/, "must be services/<name>"),
  DATABASE_URL: env.postgresUrl(),
  LOG_LEVEL: env.logLevel(),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
});

const repoRoot = resolve(import.meta.dirname, "..", "..", "..", "..");

/**
 * What a cluster's migration Job does: applies one service's migrations (the kit's tables,
 * then `$SERVICE/migrations`) to DATABASE_URL, as the service itself would at start-up and
 * under the same advisory lock. Returns the names applied now. Throws on bad configuration
 * (ConfigError) or a failed migration (MigrationError).
 */
export async function runMigrationJob(
  source?: Record<string, string | undefined>,
  root = repoRoot,
): Promise<string[]> {
  const config = loadConfig("migrate", schema, source);
  const name = config.SERVICE.slice("services/".length);
  const logger = createLogger({
    service: `${name}-migrate`,
    level: config.LOG_LEVEL,
    format: config.LOG_FORMAT,
  });
  const pool = createPool({ url: config.DATABASE_URL, max: 1, applicationName: `${name}-migrate`, logger });
  try {
    const applied = await migrate(pool, [
      ...kitMigrations,
      ...readMigrations(resolve(root, config.SERVICE, "migrations")),
    ]);
    logger.info({ applied }, applied.length > 0 ? `applied ${applied.length} migration(s)` : "up to date");
    return applied;
  } finally {
    await pool.end();
  }
}
