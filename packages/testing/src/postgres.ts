import { randomBytes } from "node:crypto";
import { createPool, databaseUrl, migrate, readMigrations } from "@toko/kit";
import type pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { freePort } from "./free-port.ts";
import { makeTempDir, removeTempDir } from "./temp-dir.ts";

/** Set by the test runner (or by you) to the superuser URL of the PostgreSQL that tests use. */
export const TEST_POSTGRES_ENV = "TOKO_TEST_POSTGRES_URL";
/** Every test database is a copy of this one: extensions installed once, copied in milliseconds. */
export const TEMPLATE_DATABASE = "toko_test_template";

let ownServer: Promise<string> | undefined;

/**
 * Starts a throwaway embedded PostgreSQL on tmpfs when available. The test runner does this
 * once per run; a test file run on its own does it for itself.
 */
export async function startTestPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = makeTempDir("test-pg", { memory: true });
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), fast: true });
    await prepareTemplate(server.url);
  } catch (error) {
    // A failed start must not leave a data folder (nor a server) behind.
    await server?.stop().catch(() => {});
    removeTempDir(dataDir);
    throw error;
  }
  const running = server;
  return {
    url: running.url,
    stop: async () => {
      await running.stop();
      removeTempDir(dataDir);
    },
  };
}

/** Creates the template database with the extensions services use, once per server. */
export async function prepareTemplate(adminUrl: string): Promise<void> {
  const admin = createPool({ url: adminUrl, max: 1 });
  try {
    await admin.query("SELECT pg_advisory_lock(727002)");
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      TEMPLATE_DATABASE,
    ]);
    if (rowCount === 0) {
      await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
      const template = createPool({ url: databaseUrl(adminUrl, TEMPLATE_DATABASE), max: 1 });
      try {
        await template.query(
          "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pgcrypto;",
        );
      } finally {
        await template.end();
      }
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(727002)").catch(() => {});
    await admin.end();
  }
}

/** The superuser URL of the test PostgreSQL, starting one for this process if none was given. */
export async function testPostgresUrl(): Promise<string> {
  const given = process.env[TEST_POSTGRES_ENV];
  if (given) return given;
  ownServer ??= startTestPostgres().then((server) => {
    process.once("beforeExit", () => void server.stop());
    return server.url;
  });
  return ownServer;
}

export interface TestDatabase {
  /** URL of the new database. */
  url: string;
  /** A pool on it, closed by `drop()`. */
  pool: pg.Pool;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh database for one test file, copied from the template, with `migrationsDir` applied. */
export async function createTestDatabase(options: { migrationsDir?: string } = {}): Promise<TestDatabase> {
  const adminUrl = await testPostgresUrl();
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = createPool({ url: adminUrl, max: 1 });
  try {
    await prepareTemplate(adminUrl);
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
        break;
      } catch (error) {
        // 55006: the template is briefly in use by a concurrent copy; try again.
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  const pool = createPool({ url, max: 10 });
  if (options.migrationsDir) await migrate(pool, readMigrations(options.migrationsDir));
  return {
    url,
    pool,
    drop: async () => {
      await pool.end();
      const a = createPool({ url: adminUrl, max: 1 });
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
