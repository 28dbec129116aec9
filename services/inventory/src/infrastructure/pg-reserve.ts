import { createPool } from "@toko/kit";
import type pg from "pg";
import type { Allocation, ReserveOutcome, ShortLine } from "../application/ports.ts";
import type { ReserveLine } from "../domain/reservation.ts";

/** One checkout's Reserve request; `lines` normalised (merged per shop SKU, sorted). */
export interface ReserveRequest {
  checkoutId: string;
  requestKey: string;
  lines: readonly ReserveLine[];
  ttlSeconds: number;
  actor: string;
}

/**
 * Reserve for a batch of checkouts in ONE statement (one round trip, implicitly its own
 * transaction, prepared once per connection). The batch's checkouts must not share a checkout
 * id or a shop SKU (`reserve-batcher.ts` guarantees it), so each one is decided exactly as if
 * it ran alone. Order inside matters and is forced by the CTEs' data dependencies:
 * 1. `locked` locks every level of the requested SKUs in the one global order (shop, sku,
 *    warehouse; bytewise) — the order every stock writer uses, so concurrent writers never
 *    deadlock — and, under READ COMMITTED, sees each row's latest committed values once its
 *    lock is granted. It walks the lines in that order and locks each line's levels through the
 *    (shop_id, sku) index (a per-line subquery: a hash join over all levels would scan them);
 * 2. `totals`/`verdict` decide all-or-nothing per checkout; `plan` applies the allocation rule
 *    of `domain/allocation.ts` (default warehouse first, then most available, ties by id) with
 *    a running sum over the locked rows;
 * 3. `held` inserts the reservations whose lines are all covered; the primary key makes a
 *    known checkout id a no-op (a concurrent duplicate waits for the first to commit);
 * 4. level updates, ledger rows, allocations, StockChanged marks (version bumped, as
 *    `pg-stock-writer.ts` does) and expiry timers (the kit's `kit_timers` rows) are written only
 *    for checkouts `held` returned.
 * The levels' CHECK (reserved <= on_hand) remains the last line of defence against oversell.
 * Timers are written without NOTIFY (it would serialise every commit on the notify queue
 * lock); the kit's runner polls at least every TIMER_POLL_MS, far below any TTL.
 */
const RESERVE_SQL = `
WITH checkouts AS MATERIALIZED (
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) WITH ORDINALITY
    AS c (checkout_id, request_key, ttl, actor, n)
),
lines AS MATERIALIZED (
  SELECT * FROM unnest($5::int[], $6::text[], $7::text[], $8::bigint[]) AS t (n, shop_id, sku, quantity)
   ORDER BY shop_id COLLATE "C", sku COLLATE "C"
),
locked AS MATERIALIZED (
  SELECT n.n, k.* FROM lines n CROSS JOIN LATERAL (
    SELECT l.warehouse_id, l.shop_id, l.sku, l.on_hand - l.reserved AS available, w.is_default
      FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
     WHERE l.shop_id = n.shop_id AND l.sku = n.sku
     ORDER BY l.warehouse_id COLLATE "C"
       FOR UPDATE OF l) k
),
totals AS (
  SELECT n.n, n.shop_id, n.sku, n.quantity, count(k.warehouse_id)::int AS levels,
         coalesce(sum(k.available), 0)::bigint AS have
    FROM lines n LEFT JOIN locked k ON k.n = n.n AND k.shop_id = n.shop_id AND k.sku = n.sku
   GROUP BY n.n, n.shop_id, n.sku, n.quantity
),
verdict AS (SELECT n, bool_and(levels > 0 AND have >= quantity) AS ok FROM totals GROUP BY n),
plan AS (
  SELECT n, shop_id, sku, warehouse_id, least(available, quantity - before) AS take
    FROM (SELECT k.n, k.shop_id, k.sku, k.warehouse_id, k.available, n.quantity,
                 coalesce(sum(k.available) OVER (PARTITION BY k.n, k.shop_id, k.sku
                   ORDER BY k.is_default DESC, k.available DESC, k.warehouse_id COLLATE "C"
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM locked k JOIN lines n ON n.n = k.n AND n.shop_id = k.shop_id AND n.sku = k.sku) ranked
   WHERE available > 0 AND before < quantity
),
held AS (
  INSERT INTO reservations (checkout_id, status, request_key, expires_at)
  SELECT c.checkout_id, 'held', c.request_key, now() + make_interval(secs => c.ttl)
    FROM checkouts c JOIN verdict v ON v.n = c.n WHERE v.ok
   ORDER BY c.checkout_id COLLATE "C"
  ON CONFLICT (checkout_id) DO NOTHING
  RETURNING checkout_id, expires_at, created_at
),
h AS (SELECT c.n, c.actor, held.* FROM held JOIN checkouts c ON c.checkout_id = held.checkout_id),
moved AS (
  UPDATE stock_levels l SET reserved = l.reserved + p.take, updated_at = now()
    FROM plan p JOIN h ON h.n = p.n
   WHERE l.warehouse_id = p.warehouse_id AND l.sku = p.sku
),
ledger AS (
  INSERT INTO stock_ledger (shop_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, actor, reference)
  SELECT p.shop_id, p.warehouse_id, p.sku, 0, p.take, 'reservation', h.actor, h.checkout_id
    FROM plan p JOIN h ON h.n = p.n
),
allocs AS (
  INSERT INTO reservation_allocations (checkout_id, shop_id, sku, warehouse_id, quantity)
  SELECT h.checkout_id, p.shop_id, p.sku, p.warehouse_id, p.take FROM plan p JOIN h ON h.n = p.n
  RETURNING checkout_id, shop_id AS "shopId", sku, warehouse_id AS "warehouseId", quantity
),
dirty AS (
  INSERT INTO stock_dirty (shop_id, sku)
  SELECT shop_id, sku FROM (SELECT DISTINCT p.shop_id, p.sku FROM plan p JOIN h ON h.n = p.n) d
   ORDER BY shop_id COLLATE "C", sku COLLATE "C"
  ON CONFLICT (shop_id, sku) DO UPDATE SET version = stock_dirty.version + 1
),
timer AS (
  INSERT INTO kit_timers (kind, key, version, due_at, payload)
  SELECT $9, h.checkout_id, gen_random_uuid(), h.expires_at, 'null'::jsonb FROM h
  ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, due_at = excluded.due_at,
    payload = excluded.payload, attempts = 0, last_error = NULL
)
SELECT c.n, v.ok, h.expires_at, h.created_at,
       (SELECT json_agg(json_build_object('shopId', a."shopId", 'sku', a.sku,
                 'warehouseId', a."warehouseId", 'quantity', a.quantity) ORDER BY a."warehouseId", a.sku)
          FROM allocs a WHERE a.checkout_id = c.checkout_id) AS allocations,
       (SELECT json_agg(json_build_object('shopId', t.shop_id, 'sku', t.sku, 'quantity', t.quantity,
               'have', t.have, 'levels', t.levels))
          FROM totals t WHERE t.n = c.n AND (t.levels = 0 OR t.have < t.quantity)) AS short
  FROM checkouts c LEFT JOIN verdict v ON v.n = c.n LEFT JOIN h ON h.n = c.n
 ORDER BY c.n`;

interface ResultRow {
  n: number;
  ok: boolean | null;
  expires_at: Date | null;
  created_at: Date | null;
  allocations: Allocation[] | null;
  short: ShortLine[] | null;
}

/**
 * The connections Reserve runs on. They plan its prepared statement once, generically: with
 * array parameters PostgreSQL otherwise re-plans it on every call (its custom plans look
 * cheaper than a generic plan sized for ten lines), and planning costs more than executing.
 * A pool of its own keeps that setting away from the service's other queries.
 */
export function createReservePool(url: string, size: number): pg.Pool {
  return createPool({ url: withGenericPlans(url), max: size, applicationName: "inventory-reserve" });
}

/**
 * The URL with `plan_cache_mode` set in the startup packet (libpq's `options` parameter), so
 * every connection has it before its first query — no extra statement racing the pool's own.
 */
export function withGenericPlans(url: string): string {
  const parsed = new URL(url);
  const existing = parsed.searchParams.get("options");
  const setting = "-c plan_cache_mode=force_generic_plan";
  parsed.searchParams.set("options", existing ? `${existing} ${setting}` : setting);
  return parsed.toString();
}

/** Runs one batch of Reserve requests as one statement; outcomes in request order. */
export function pgReserveBatch(pool: pg.Pool, timerKind: string) {
  return async (batch: readonly ReserveRequest[]): Promise<ReserveOutcome[]> => {
    const lines = batch.flatMap((r, i) => r.lines.map((l) => ({ ...l, n: i + 1 })));
    const { rows } = await pool.query<ResultRow>({
      name: "inventory.reserve",
      text: RESERVE_SQL,
      values: [
        batch.map((r) => r.checkoutId),
        batch.map((r) => r.requestKey),
        batch.map((r) => r.ttlSeconds),
        batch.map((r) => r.actor),
        lines.map((l) => l.n),
        lines.map((l) => l.shopId),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantity),
        timerKind,
      ],
    });
    return batch.map((_, i): ReserveOutcome => {
      const row = rows[i];
      if (!row?.ok) return { kind: "short", lines: row?.short ?? [] };
      if (!row.expires_at || !row.created_at) return { kind: "exists" };
      return {
        kind: "held",
        expiresAt: row.expires_at,
        createdAt: row.created_at,
        allocations: row.allocations ?? [],
      };
    });
  };
}

/** A batch runner (what the batcher drives). */
export type ReserveBatch = ReturnType<typeof pgReserveBatch>;
