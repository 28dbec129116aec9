import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { PaymentRecord, RefundRecord } from "../application/model.ts";
import type { Allocation, PaymentStatus } from "../domain/payment.ts";
import type { Channel, PaymentMethod } from "../domain/payment-method.ts";
import type { PaymentDatabase } from "./schema.ts";

type Db = Kysely<PaymentDatabase> | Transaction<PaymentDatabase>;

/** A stored payment plus its allocations, as the application sees it. */
export function paymentFromRow(
  row: Selectable<PaymentDatabase["payments"]>,
  allocations: Allocation[],
): PaymentRecord {
  return {
    id: row.id,
    checkoutId: row.checkout_id,
    payerId: row.payer_id,
    amount: Number(row.amount),
    method: row.method as PaymentMethod,
    channel: row.channel as Channel,
    status: row.status as PaymentStatus,
    statusReason: row.status_reason,
    provider: row.provider,
    providerReference: row.provider_reference,
    instructions: row.instructions as PaymentRecord["instructions"],
    expiresAt: row.expires_at,
    captured: Number(row.captured),
    refunded: Number(row.refunded),
    allocations,
    createdAt: row.created_at,
    paidAt: row.paid_at,
  };
}

export function refundFromRow(row: Selectable<PaymentDatabase["refunds"]>): RefundRecord {
  return {
    id: row.id,
    paymentId: row.payment_id,
    orderId: row.order_id,
    amount: Number(row.amount),
    reason: row.reason,
    status: "SUCCEEDED",
    automatic: row.automatic,
    providerReference: row.provider_reference,
    createdAt: row.created_at,
  };
}

export async function allocationsOf(db: Db, paymentId: string): Promise<Allocation[]> {
  const rows = await db
    .selectFrom("payment_allocations")
    .selectAll()
    .where("payment_id", "=", paymentId)
    .orderBy("position")
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    shopId: r.shop_id,
    amount: Number(r.amount),
    commission: Number(r.commission),
  }));
}

/** Payments with their allocations, in one round trip; `lock` takes their row locks in id order. */
export async function loadPayments(db: Db, ids: readonly string[], lock: boolean): Promise<PaymentRecord[]> {
  if (ids.length === 0) return [];
  let query = db
    .selectFrom("payments")
    .selectAll("payments")
    .select(allocationListSql("payments.id").as("allocation_list"))
    .where("id", "in", [...ids])
    // One order for every locker, so two transactions never wait on each other in a cycle.
    .orderBy("id");
  if (lock) query = query.forUpdate();
  const rows = await query.execute();
  return rows.map(paymentWithAllocations);
}

/** The allocations' JSON that `loadPayments` (and the notification admission) select with a payment. */
export const allocationListSql = (payment: string) =>
  sql<
    AllocationJson[]
  >`(SELECT coalesce(json_agg(json_build_array(a.order_id, a.shop_id, a.amount, a.commission)
          ORDER BY a.position), '[]') FROM payment_allocations a WHERE a.payment_id = ${sql.ref(payment)})`;

/** A payment row with its `allocation_list` column, as the application sees it. */
export function paymentWithAllocations({
  allocation_list,
  ...payment
}: Selectable<PaymentDatabase["payments"]> & { allocation_list: AllocationJson[] }): PaymentRecord {
  return paymentFromRow(
    payment,
    allocation_list.map(([orderId, shopId, amount, commission]) => ({
      orderId,
      shopId,
      amount: Number(amount),
      commission: Number(commission),
    })),
  );
}

/** One payment with its allocations; `lock` takes its row lock. */
export async function loadPayment(db: Db, id: string, lock: boolean): Promise<PaymentRecord | null> {
  return (await loadPayments(db, [id], lock))[0] ?? null;
}

export type AllocationJson = [string, string, number, number];

export async function refundsOf(db: Db, paymentId: string): Promise<RefundRecord[]> {
  const rows = await db
    .selectFrom("refunds")
    .selectAll()
    .where("payment_id", "=", paymentId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(refundFromRow);
}
