import type { Logger } from "@toko/kit";
import { type Kysely, sql } from "kysely";
import type pg from "pg";
import type { CatalogDeps } from "../application/deps.ts";
import { applyScheduledPrice } from "../application/pricing.ts";
import { grantSeller } from "../application/shops.ts";
import { TIMER_KINDS } from "../infrastructure/pg-catalog-tx.ts";
import type { ProductDatabase } from "../infrastructure/schema.ts";

interface DueTimer {
  kind: string;
  key: string;
  version: string;
  payload: { variantId?: string; shopId?: string };
  attempts: number;
}

const POLL_MS = 250;
const BATCH = 20;

/**
 * Runs the catalog's durable timers from the kit's `kit_timers` table: price schedules that
 * start or end, and seller-role grants to retry. Rows are claimed with SKIP LOCKED so replicas
 * share the work; a row is deleted only after its handler succeeded (handlers are idempotent),
 * and a failure is retried with backoff.
 */
export async function startProductTimers(options: {
  db: Kysely<ProductDatabase>;
  pool: pg.Pool;
  deps: CatalogDeps;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const { db, deps, logger } = options;
  let stopped = false;
  let wake: (() => void) | undefined;
  const handlers: Record<string, (t: DueTimer) => Promise<unknown>> = {
    [TIMER_KINDS.priceCheck]: (t) => applyScheduledPrice(deps, t.payload.variantId ?? ""),
    [TIMER_KINDS.sellerGrant]: (t) => grantSeller(deps, t.payload.shopId ?? ""),
  };
  const runDue = async (): Promise<number> => {
    return db.transaction().execute(async (trx) => {
      const { rows } = await sql<DueTimer>`SELECT kind, key, version, payload, attempts FROM kit_timers
        WHERE kind = ANY(${Object.keys(handlers)}) AND due_at <= now()
        ORDER BY due_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`.execute(trx);
      for (const timer of rows) {
        try {
          await handlers[timer.kind]?.(timer);
          await sql`DELETE FROM kit_timers WHERE kind = ${timer.kind} AND key = ${timer.key} AND version = ${timer.version}::uuid`.execute(
            trx,
          );
        } catch (error) {
          const delayMs = Math.min(60_000, 500 * 2 ** timer.attempts);
          logger.warn(
            { err: error, kind: timer.kind, key: timer.key, attempt: timer.attempts + 1 },
            "timer failed; retrying",
          );
          await sql`UPDATE kit_timers SET attempts = attempts + 1, last_error = ${String(error)},
            due_at = now() + make_interval(secs => ${delayMs / 1000})
            WHERE kind = ${timer.kind} AND key = ${timer.key} AND version = ${timer.version}::uuid`.execute(
            trx,
          );
        }
      }
      return rows.length;
    });
  };
  const loop = (async () => {
    while (!stopped) {
      let ran = 0;
      try {
        ran = await runDue();
      } catch (error) {
        logger.error({ err: error }, "timer poll failed");
      }
      if (ran === BATCH) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
