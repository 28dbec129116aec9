import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { createLogger } from "../log/logger.ts";

// int8 (bigint) columns hold rupiah amounts and counters; they fit in a double well below 2^53.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
function parseSafeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${value} exceeds the safe range`);
  return n;
}
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID) return parseSafeInteger;
    if (oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** Server-side limits every pooled session gets; 0 turns one off. */
export interface SessionTimeouts {
  /** A single statement running longer is cancelled (`statement_timeout`); default 30 s. */
  statementTimeoutMs?: number;
  /** Waiting longer for a row or table lock fails the statement (`lock_timeout`); default 10 s. */
  lockTimeoutMs?: number;
  /**
   * A session left inside an open transaction doing nothing this long is ended by the server
   * (`idle_in_transaction_session_timeout`), releasing its locks; default 60 s.
   */
  idleInTransactionTimeoutMs?: number;
}

/** The defaults of `SessionTimeouts` (also those of `DB_*_TIMEOUT_MS` in `serviceEnvShape`). */
export const DEFAULT_SESSION_TIMEOUTS = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 60_000,
} as const satisfies Required<SessionTimeouts>;

/** Where a pool reports connection errors (a kit `Logger` fits). */
export interface PoolLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface PoolOptions extends SessionTimeouts {
  url: string;
  /** Connections at most; default 10. */
  max?: number;
  /** How long an unused connection stays open; default 30 s. */
  idleTimeoutMs?: number;
  applicationName?: string;
  /** Where connection errors are logged; default a logger named after `applicationName`. */
  logger?: PoolLogger;
}

/**
 * A `pg` pool with Toko's type parsing (int8 as number), a bounded connect timeout and the
 * session timeouts of `SessionTimeouts`. A connection that fails (server restart, a session the
 * server ended) is logged and replaced, never left to crash the process.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const statementTimeout = options.statementTimeoutMs ?? DEFAULT_SESSION_TIMEOUTS.statementTimeoutMs;
  const lockTimeout = options.lockTimeoutMs ?? DEFAULT_SESSION_TIMEOUTS.lockTimeoutMs;
  const idleInTransaction =
    options.idleInTransactionTimeoutMs ?? DEFAULT_SESSION_TIMEOUTS.idleInTransactionTimeoutMs;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? 30_000,
    application_name: options.applicationName,
    types: typeParsers,
    // pg sends these as startup parameters; 0 (off) is left out, so the server's default holds.
    statement_timeout: statementTimeout || undefined,
    lock_timeout: lockTimeout || undefined,
    idle_in_transaction_session_timeout: idleInTransaction || undefined,
  });
  const logger = options.logger ?? createLogger({ service: options.applicationName ?? "database" });
  const poolName = options.applicationName ?? "pool";
  // Every client gets a listener of its own: pg removes the pool's while a client is checked out,
  // and an 'error' with no listener (the server ending an idle-in-transaction session between
  // two queries) would crash the process. Idle clients' errors reach this listener too.
  pool.on("connect", (client) => {
    client.on("error", (error) => {
      logger.warn({ err: error, pool: poolName }, "database connection failed; the pool replaces it");
    });
  });
  // Logged above; the pool drops the broken idle client by itself.
  pool.on("error", () => {});
  return pool;
}

/** A typed Kysely query builder over a pool. */
export function createDb<DB>(pool: pg.Pool): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
export function transaction<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

export { sql } from "kysely";
export type { Kysely, Transaction };
