import { createPool } from "@toko/kit";
import type pg from "pg";
import type { Allocation, ReserveStatement, ShortLine } from "../application/ports.ts";
import type { ReserveLine } from "../domain/reservation.ts";

/**
 * Reserve in ONE statement (one round trip, implicitly its own transaction, prepared once per
 * connection). Order inside it matters and is forced by the CTEs' data dependencies:
 * 1. `locked` locks every level of the requested SKUs in the one global order (shop, sku,
 *    warehouse; bytewise) — the order every stock writer uses, so concurrent writers never
 *    deadlock — and, under READ COMMITTED, sees each row's latest committed values once its
 *    lock is granted. It walks the lines in that order and locks each line's levels through the
 *    (shop_id, sku) index (a per-line subquery: a hash join over all levels would scan them);
 * 2. `totals`/`ok` decide all-or-nothing; `plan` applies the allocation rule of
 *    `domain/allocation.ts` (default warehouse first, then most available, ties by id) with a
 *    running sum over the locked rows;
 * 3. `held` inserts the reservation only when every line is covered; its primary key makes a
 *    duplicate checkout id a no-op (a concurrent duplicate waits for the first to commit);
 * 4. the level update, ledger rows, allocations, StockChanged mark and the expiry timer
 *    (the kit's `kit_timers` row) are written only when `held` returned a row.
 * The levels' CHECK (reserved <= on_hand) remains the last line of defence against oversell.
 * The expiry timer is written without NOTIFY (it would serialise every commit on the notify
 * queue lock); the kit's runner polls at least every TIMER_POLL_MS, far below any TTL.
 */
const RESERVE_SQL = `
WITH lines AS MATERIALIZED (
  SELECT * FROM unnest($4::text[], $5::text[], $6::bigint[]) AS t (shop_id, sku, quantity)
   ORDER BY shop_id COLLATE "C", sku COLLATE "C"
),
locked AS MATERIALIZED (
  SELECT k.* FROM lines n CROSS JOIN LATERAL (
    SELECT l.warehouse_id, l.shop_id, l.sku, l.on_hand - l.reserved AS available, w.is_default
      FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
     WHERE l.shop_id = n.shop_id AND l.sku = n.sku
     ORDER BY l.warehouse_id COLLATE "C"
       FOR UPDATE OF l) k
),
totals AS (
  SELECT n.shop_id, n.sku, n.quantity, count(k.warehouse_id)::int AS levels,
         coalesce(sum(k.available), 0)::bigint AS have
    FROM lines n LEFT JOIN locked k ON k.shop_id = n.shop_id AND k.sku = n.sku
   GROUP BY n.shop_id, n.sku, n.quantity
),
ok AS (SELECT bool_and(levels > 0 AND have >= quantity) AS ok FROM totals),
plan AS (
  SELECT shop_id, sku, warehouse_id, least(available, quantity - before) AS take
    FROM (SELECT k.shop_id, k.sku, k.warehouse_id, k.available, n.quantity,
                 coalesce(sum(k.available) OVER (PARTITION BY k.shop_id, k.sku
                   ORDER BY k.is_default DESC, k.available DESC, k.warehouse_id COLLATE "C"
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM locked k JOIN lines n ON n.shop_id = k.shop_id AND n.sku = k.sku) ranked
   WHERE available > 0 AND before < quantity
),
held AS (
  INSERT INTO reservations (checkout_id, status, request_key, expires_at)
  SELECT $1, 'held', $2, now() + make_interval(secs => $3::int) FROM ok WHERE ok.ok
  ON CONFLICT (checkout_id) DO NOTHING
  RETURNING checkout_id, expires_at, created_at
),
moved AS (
  UPDATE stock_levels l SET reserved = l.reserved + p.take, updated_at = now()
    FROM plan p, held
   WHERE l.warehouse_id = p.warehouse_id AND l.sku = p.sku
),
ledger AS (
  INSERT INTO stock_ledger (shop_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, actor, reference)
  SELECT p.shop_id, p.warehouse_id, p.sku, 0, p.take, 'reservation', $7, $1 FROM plan p, held
),
allocs AS (
  INSERT INTO reservation_allocations (checkout_id, shop_id, sku, warehouse_id, quantity)
  SELECT $1, p.shop_id, p.sku, p.warehouse_id, p.take FROM plan p, held
  RETURNING shop_id AS "shopId", sku, warehouse_id AS "warehouseId", quantity
),
dirty AS (
  INSERT INTO stock_dirty (shop_id, sku) SELECT DISTINCT p.shop_id, p.sku FROM plan p, held
  ON CONFLICT DO NOTHING
),
timer AS (
  INSERT INTO kit_timers (kind, key, version, due_at, payload)
  SELECT $8, $1, gen_random_uuid(), held.expires_at, 'null'::jsonb FROM held
  ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, due_at = excluded.due_at,
    payload = excluded.payload, attempts = 0, last_error = NULL
)
SELECT (SELECT ok FROM ok) AS ok,
       (SELECT expires_at FROM held) AS expires_at,
       (SELECT created_at FROM held) AS created_at,
       (SELECT json_agg(a ORDER BY a."warehouseId", a.sku) FROM allocs a) AS allocations,
       (SELECT json_agg(json_build_object('shopId', t.shop_id, 'sku', t.sku, 'quantity', t.quantity,
               'have', t.have, 'levels', t.levels))
          FROM totals t WHERE t.levels = 0 OR t.have < t.quantity) AS short`;

interface ResultRow {
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
  const pool = createPool({ url, max: size, applicationName: "inventory-reserve" });
  // Queued before the first query the pool hands this connection out for.
  pool.on("connect", (client) => {
    client.query("SET plan_cache_mode = force_generic_plan").catch(() => {});
  });
  return pool;
}

/** Runs the one-statement Reserve on the pool; `lines` must be normalised (merged, sorted). */
export function pgReserve(pool: pg.Pool, timerKind: string): ReserveStatement {
  return async (checkoutId, requestKey, lines: readonly ReserveLine[], ttlSeconds, actor) => {
    const { rows } = await pool.query<ResultRow>({
      name: "inventory.reserve",
      text: RESERVE_SQL,
      values: [
        checkoutId,
        requestKey,
        ttlSeconds,
        lines.map((l) => l.shopId),
        lines.map((l) => l.sku),
        lines.map((l) => l.quantity),
        actor,
        timerKind,
      ],
    });
    const row = rows[0];
    if (!row?.ok) return { kind: "short", lines: row?.short ?? [] };
    if (!row.expires_at || !row.created_at) return { kind: "exists" };
    return {
      kind: "held",
      expiresAt: row.expires_at,
      createdAt: row.created_at,
      allocations: row.allocations ?? [],
    };
  };
}
