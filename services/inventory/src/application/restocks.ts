import { DomainError, errors, type FieldViolation } from "@toko/kit";
import { sql } from "kysely";
import { checkSku } from "../domain/warehouse.ts";
import type { Db, IdempotentWrites, StockWriter } from "./ports.ts";

export interface RestockLine {
  sku: string;
  warehouseId: string;
  quantity: number;
}

export interface RestockInput {
  checkoutId: string;
  lines: readonly RestockLine[];
  reason: string;
}

/** A restocked level after the change, as stored with the idempotency key. */
export interface RestockedLevel {
  sku: string;
  warehouse_id: string;
  on_hand: number;
  reserved: number;
  reorder_point: number | null;
}

const MAX_LINES = 100;
const keyPattern = /^[\x21-\x7e]{1,255}$/;

function check(key: string, input: RestockInput): void {
  const violations: FieldViolation[] = [];
  if (!keyPattern.test(key))
    violations.push({ field: "idempotency_key", message: "required, 1-255 visible ASCII characters" });
  if (!input.checkoutId.trim() || input.checkoutId.length > 255)
    violations.push({ field: "checkout_id", message: "required, at most 255 characters" });
  if (!input.reason.trim() || input.reason.length > 500)
    violations.push({ field: "reason", message: "required, at most 500 characters" });
  if (input.lines.length === 0 || input.lines.length > MAX_LINES)
    violations.push({ field: "lines", message: `1 to ${MAX_LINES} lines` });
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    violations.push(...checkSku(l.sku, `lines[${i}].sku`));
    if (!l.warehouseId.trim()) violations.push({ field: `lines[${i}].warehouse_id`, message: "required" });
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1)
      violations.push({ field: `lines[${i}].quantity`, message: "must be a positive integer" });
    const k = `${l.warehouseId}\u0000${l.sku}`;
    if (seen.has(k))
      violations.push({ field: `lines[${i}]`, message: "this warehouse and SKU are listed twice" });
    seen.add(k);
  });
  if (violations.length > 0) throw errors.invalid("invalid restock", violations);
}

/**
 * Units a checkout committed going back into stock (a paid order cancelled, rejected or
 * returned), for the order service: never more per allocation than the checkout committed,
 * summed over all its restocks, and once per idempotency key.
 */
export class Restocks {
  constructor(
    private readonly db: Db,
    private readonly writer: StockWriter,
    private readonly keyed: IdempotentWrites,
  ) {}

  async restock(key: string, input: RestockInput, actor: string): Promise<RestockedLevel[]> {
    check(key, input);
    const request = {
      checkoutId: input.checkoutId,
      lines: input.lines.map((l) => ({ sku: l.sku, warehouseId: l.warehouseId, quantity: l.quantity })),
      reason: input.reason.trim(),
    };
    // Keys live in the saga's namespace (no shop): one restock may span a checkout's shops.
    const writeKey = { shopId: "", operation: "restock", key, request };
    return this.db.transaction().execute((trx) =>
      this.keyed.once(trx, writeKey, async () => {
        // The reservation's row lock serialises the restocks of one checkout (and its Commit).
        const reservation = await trx
          .selectFrom("reservations")
          .select("status")
          .where("checkout_id", "=", request.checkoutId)
          .forUpdate()
          .executeTakeFirst();
        if (!reservation) throw errors.notFound("reservation");
        if (reservation.status !== "committed")
          throw errors.precondition(
            "RESERVATION_NOT_COMMITTED",
            `the checkout's stock is ${reservation.status}, not committed: nothing to restock`,
          );
        const allocations = await trx
          .selectFrom("reservation_allocations")
          .select(["shop_id", "sku", "warehouse_id", "quantity"])
          .where("checkout_id", "=", request.checkoutId)
          .execute();
        const { rows: returned } = await sql<{ warehouse_id: string; sku: string; quantity: string }>`
          SELECT warehouse_id, sku, sum(on_hand_delta)::bigint AS quantity FROM stock_ledger
           WHERE reason = 'return' AND reference = ${request.checkoutId}
             AND (shop_id, sku) IN (SELECT shop_id, sku FROM reservation_allocations
                                     WHERE checkout_id = ${request.checkoutId})
           GROUP BY warehouse_id, sku`.execute(trx);
        const levelKey = (warehouseId: string, sku: string) => `${warehouseId}\u0000${sku}`;
        const before = new Map(returned.map((r) => [levelKey(r.warehouse_id, r.sku), Number(r.quantity)]));
        const violations: FieldViolation[] = [];
        const movements = request.lines.flatMap((l, i) => {
          const a = allocations.find((x) => x.warehouse_id === l.warehouseId && x.sku === l.sku);
          if (!a) {
            violations.push({
              field: `lines[${i}]`,
              message: `the checkout took no ${l.sku} from warehouse ${l.warehouseId}`,
            });
            return [];
          }
          const left = Number(a.quantity) - (before.get(levelKey(l.warehouseId, l.sku)) ?? 0);
          if (l.quantity > left)
            violations.push({
              field: `lines[${i}].quantity`,
              message: `${l.sku}: ${left} committed units left to restock, ${l.quantity} asked`,
            });
          return [
            {
              shopId: a.shop_id,
              warehouseId: l.warehouseId,
              sku: l.sku,
              onHandDelta: l.quantity,
              reservedDelta: 0,
              reason: "return" as const,
              actor,
              reference: request.checkoutId,
              note: request.reason,
            },
          ];
        });
        if (violations.length > 0)
          throw new DomainError(
            "failed_precondition",
            "RESTOCK_EXCEEDS_COMMITTED",
            "more units than the checkout committed",
            violations,
          );
        await this.writer.apply(trx, movements);
        const { rows } = await sql<RestockedLevel>`
          SELECT l.sku, l.warehouse_id, l.on_hand, l.reserved, r.reorder_point
            FROM stock_levels l LEFT JOIN reorder_points r ON r.shop_id = l.shop_id AND r.sku = l.sku
           WHERE (l.warehouse_id, l.sku) IN (VALUES ${sql.join(
             request.lines.map((l) => sql`(${l.warehouseId}, ${l.sku})`),
           )})`.execute(trx);
        return request.lines.flatMap((l) => {
          const r = rows.find((x) => x.warehouse_id === l.warehouseId && x.sku === l.sku);
          return r
            ? [
                {
                  sku: r.sku,
                  warehouse_id: r.warehouse_id,
                  on_hand: Number(r.on_hand),
                  reserved: Number(r.reserved),
                  reorder_point: r.reorder_point === null ? null : Number(r.reorder_point),
                },
              ]
            : [];
        });
      }),
    );
  }
}
