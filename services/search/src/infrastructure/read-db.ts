import { createDb, createPool, type PoolLogger } from "@toko/kit";
import type { Kysely } from "kysely";
import type { SearchDatabase } from "./schema.ts";

export interface ReadDbOptions {
  url: string;
  max: number;
  /** Each search, suggest or recommendation statement is cancelled after this long. */
  statementTimeoutMs: number;
  logger: PoolLogger;
}

/**
 * The sessions searches, suggestions and recommendations read on, apart from the projection's
 * writers: read-only, with the search statement timeout, `pg_trgm`'s similarity threshold for
 * typo candidates and sequential scans off (the planner prices a bitmap scan over a broad
 * match's pages above a scan, but underestimates evaluating `@@` on every row; see
 * docs/decisions/0007). Set once per session, so a search is a single statement without the
 * BEGIN, SET and COMMIT round trips a per-query transaction costs.
 */
export function searchReadDb(options: ReadDbOptions): { db: Kysely<SearchDatabase>; close(): Promise<void> } {
  const pool = createPool({
    url: options.url,
    max: options.max,
    applicationName: "search-read",
    logger: options.logger,
    statementTimeoutMs: options.statementTimeoutMs,
  });
  pool.on("connect", (client) => {
    // Queued before the query the session was taken for; a failure breaks that query too.
    client
      .query(
        "SET default_transaction_read_only = on; SET enable_seqscan = off; SET pg_trgm.similarity_threshold = 0.2",
      )
      .catch(() => {});
  });
  const db = createDb<SearchDatabase>(pool);
  return { db, close: () => db.destroy() };
}
