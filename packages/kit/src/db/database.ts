import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";

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

export interface PoolOptions {
  url: string;
  /** Connections at most; default 10. */
  max?: number;
  applicationName?: string;
}

/** A `pg` pool with Toko's type parsing (int8 as number) and a bounded connect timeout. */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName,
    types: typeParsers,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
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
