import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";

/** A migration could not be applied; start-up must stop. */
export class MigrationError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "MigrationError";
  }
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

const FILE_PATTERN = /^\d{4}_[a-z0-9_-]+\.sql$/;

/** Reads `NNNN_name.sql` files from a directory, in order. Other files are an error, not ignored. */
export function readMigrations(dir: string): Migration[] {
  const names = readdirSync(dir).sort();
  return names.map((name) => {
    if (!FILE_PATTERN.test(name))
      throw new MigrationError(name, new Error("file name must be NNNN_name.sql"));
    const sql = readFileSync(join(dir, name), "utf8");
    return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
  });
}

// Any fixed key works; it only has to be the same for every process migrating this database.
const LOCK_KEY = 727_001;

/**
 * Applies the migrations not yet applied, each in its own transaction, under an advisory lock
 * so two replicas starting together do not race. An applied migration whose file changed is
 * an error: history is never rewritten. Returns the names applied now.
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<string[]> {
  const client = await pool.connect();
  try {
    // A migration may rewrite a big table or wait for another replica's migration: the pool's
    // statement and lock timeouts are for request work, not for this session.
    await client.query("SET statement_timeout = 0; SET lock_timeout = 0");
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS toko_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      "SELECT name, checksum FROM toko_migrations",
    );
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const previous = applied.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new MigrationError(
            m.name,
            new Error("was changed after it was applied; add a new migration"),
          );
        }
        continue;
      }
      try {
        await client.query("BEGIN");
        await client.query(m.sql);
        await client.query("INSERT INTO toko_migrations (name, checksum) VALUES ($1, $2)", [
          m.name,
          m.checksum,
        ]);
        await client.query("COMMIT");
        done.push(m.name);
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(m.name, error);
      }
    }
    return done;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    await client.query("RESET statement_timeout; RESET lock_timeout").catch(() => {});
    client.release();
  }
}

/** Creates a database if it does not exist (used by the launcher and tests with an admin URL). */
export async function ensureDatabase(adminPool: pg.Pool, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`);
  const { rowCount } = await adminPool.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (rowCount === 0) {
    try {
      // Quoted: service names such as "user" are SQL keywords.
      await adminPool.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Another process created it between the check and the create.
      if ((error as { code?: string }).code !== "42P04") throw error;
    }
  }
}

/** The URL of database `name` on the same server as `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
