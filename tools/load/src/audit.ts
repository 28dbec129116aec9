// The chaos audit: invariants over what every service's database holds once the platform has
// been quiet for a while. Pure functions over a snapshot (see audit-snapshot.ts for the reads),
// so each check can be fed a state that breaks it.

export interface OrderRow {
  id: string;
  checkoutId: string;
  status: string;
  total: number;
  refunded: number;
  paymentMethod: string;
  paid: boolean;
}

export interface CheckoutRow {
  id: string;
  status: string;
  method: string;
  paymentId: string | null;
  paymentStatus: string | null;
}

export interface PaymentRow {
  id: string;
  checkoutId: string;
  status: string;
  method: string;
  amount: number;
  captured: number;
  refunded: number;
}

export interface RefundRow {
  paymentId: string;
  orderId: string;
  amount: number;
  status: string;
}

/** Stock per (warehouse, sku): the cached level, the ledger's sums and what held reservations claim. */
export interface StockRow {
  warehouseId: string;
  sku: string;
  onHand: number;
  reserved: number;
  ledgerOnHand: number;
  ledgerReserved: number;
  heldReservations: number;
}

export interface ReservationRow {
  checkoutId: string;
  status: string;
}

export interface DeadLetterRow {
  service: string;
  group: string;
  type: string;
  error: string;
}

export interface AuditSnapshot {
  orders: OrderRow[];
  checkouts: CheckoutRow[];
  payments: PaymentRow[];
  /** Capture postings per payment id (ledger transactions of kind capture / late_capture). */
  captures: Map<string, number>;
  refunds: RefundRow[];
  stock: StockRow[];
  reservations: ReservationRow[];
  /** Per service: outbox events never delivered to the bus. */
  outboxPending: Map<string, number>;
  /** Per consumer group: events in the bus log past its committed offsets. */
  busLag: Map<string, number>;
  deadLetters: DeadLetterRow[];
  /** Per service: durable timers due more than the grace ago (saga steps that keep failing). */
  overdueTimers: Map<string, number>;
  /** Sandbox provider notifications not delivered to the webhook (pending past due or abandoned). */
  undeliveredNotifications: number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  /** What was checked, and on failure the first offending rows. */
  detail: string;
}

const SHOWN = 5;

function result(name: string, checked: string, problems: string[]): CheckResult {
  if (problems.length === 0) return { name, ok: true, detail: checked };
  const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : "";
  return {
    name,
    ok: false,
    detail: `${problems.length} problem(s): ${problems.slice(0, SHOWN).join("; ")}${more}`,
  };
}

const PAID_STATUSES = new Set([
  "PAID",
  "PROCESSING",
  "SHIPPED",
  "DELIVERED",
  "COMPLETED",
  "RETURN_REQUESTED",
  "RETURNED",
  "REFUNDED",
]);

/** Every order is in a state its checkout allows, and no checkout is stuck inside the saga. */
export function checkOrders(s: AuditSnapshot): CheckResult {
  const problems: string[] = [];
  const byCheckout = new Map<string, OrderRow[]>();
  for (const o of s.orders) byCheckout.set(o.checkoutId, [...(byCheckout.get(o.checkoutId) ?? []), o]);
  for (const c of s.checkouts) {
    const orders = byCheckout.get(c.id) ?? [];
    if (c.status === "PRICING" || c.status === "RESERVING") {
      problems.push(`checkout ${c.id} stuck ${c.status}`);
      continue;
    }
    for (const o of orders) {
      if (o.status === "CREATED") problems.push(`order ${o.id} stuck CREATED (checkout ${c.status})`);
      else if ((c.status === "CANCELLED" || c.status === "FAILED") && o.status !== "CANCELLED")
        problems.push(`order ${o.id} is ${o.status} but its checkout is ${c.status}`);
      else if (
        c.status === "AWAITING_PAYMENT" &&
        o.status !== "AWAITING_PAYMENT" &&
        o.paymentMethod !== "cod"
      )
        problems.push(`order ${o.id} is ${o.status} but its checkout still awaits payment`);
      else if (c.status === "PAID" && o.status === "AWAITING_PAYMENT")
        problems.push(`order ${o.id} awaits payment but its checkout is PAID`);
    }
    if (c.status === "AWAITING_PAYMENT" && c.paymentStatus === "SUCCEEDED" && c.method !== "cod")
      problems.push(`checkout ${c.id} was paid but never committed`);
  }
  const known = new Set(s.checkouts.map((c) => c.id));
  for (const o of s.orders) if (!known.has(o.checkoutId)) problems.push(`order ${o.id} has no checkout`);
  return result(
    "orders consistent",
    `${s.orders.length} orders of ${s.checkouts.length} checkouts in consistent states`,
    problems,
  );
}

/** The stock ledger's sums equal the cached levels, and the levels' reservations equal the held ones. */
export function checkStock(s: AuditSnapshot): CheckResult {
  const problems: string[] = [];
  for (const r of s.stock) {
    const at = `${r.sku}@${r.warehouseId}`;
    if (r.onHand !== r.ledgerOnHand)
      problems.push(`${at}: on_hand ${r.onHand} but ledger sums ${r.ledgerOnHand}`);
    if (r.reserved !== r.ledgerReserved)
      problems.push(`${at}: reserved ${r.reserved} but ledger sums ${r.ledgerReserved}`);
    if (r.reserved !== r.heldReservations)
      problems.push(`${at}: reserved ${r.reserved} but held reservations hold ${r.heldReservations}`);
    if (r.onHand < 0 || r.reserved < 0 || r.reserved > r.onHand)
      problems.push(`${at}: impossible level on_hand ${r.onHand} reserved ${r.reserved}`);
  }
  return result("stock ledger balanced", `${s.stock.length} stock levels equal their ledger sums`, problems);
}

/** Each checkout's reservation is where its orders say: committed when paid, let go when cancelled. */
export function checkReservations(s: AuditSnapshot): CheckResult {
  const problems: string[] = [];
  const reservation = new Map(s.reservations.map((r) => [r.checkoutId, r.status]));
  for (const c of s.checkouts) {
    const r = reservation.get(c.id);
    if (c.status === "PAID" && r !== "committed")
      problems.push(`checkout ${c.id} is PAID but its reservation is ${r ?? "missing"}`);
    if ((c.status === "CANCELLED" || c.status === "FAILED") && r === "held")
      problems.push(`checkout ${c.id} is ${c.status} but its stock is still held`);
    if ((c.status === "CANCELLED" || c.status === "FAILED") && r === "committed" && !c.paymentId)
      problems.push(`checkout ${c.id} is ${c.status} but its stock was committed`);
    if (c.status === "AWAITING_PAYMENT" && c.method !== "cod" && r !== "held" && r !== "expired")
      problems.push(`checkout ${c.id} awaits payment but its reservation is ${r ?? "missing"}`);
  }
  const checkouts = new Set(s.checkouts.map((c) => c.id));
  for (const r of s.reservations)
    if (r.status === "held" && !checkouts.has(r.checkoutId))
      problems.push(`reservation ${r.checkoutId} holds stock for no checkout`);
  return result(
    "reservations follow orders",
    `${s.reservations.length} reservations match their checkouts`,
    problems,
  );
}

/** No payment without an order, no double charge, paid orders captured, cancelled ones refunded. */
export function checkPayments(s: AuditSnapshot): CheckResult {
  const problems: string[] = [];
  const checkouts = new Map(s.checkouts.map((c) => [c.id, c]));
  const ordersOf = new Map<string, OrderRow[]>();
  for (const o of s.orders) ordersOf.set(o.checkoutId, [...(ordersOf.get(o.checkoutId) ?? []), o]);
  const perCheckout = new Map<string, number>();
  for (const p of s.payments) {
    perCheckout.set(p.checkoutId, (perCheckout.get(p.checkoutId) ?? 0) + 1);
    const c = checkouts.get(p.checkoutId);
    if (!c || (ordersOf.get(p.checkoutId) ?? []).length === 0) {
      problems.push(`payment ${p.id} has no order`);
      continue;
    }
    const captures = s.captures.get(p.id) ?? 0;
    if (captures > 1) problems.push(`payment ${p.id} captured ${captures} times`);
    if (p.captured !== 0 && p.captured !== p.amount)
      problems.push(`payment ${p.id} captured ${p.captured} of ${p.amount}`);
    if (p.captured > 0 && captures === 0) problems.push(`payment ${p.id} captured without a ledger entry`);
    if (p.refunded > p.captured) problems.push(`payment ${p.id} refunded ${p.refunded} of ${p.captured}`);
    const orders = ordersOf.get(p.checkoutId) ?? [];
    if (p.method === "cod") continue;
    const paidOrders = orders.filter((o) => PAID_STATUSES.has(o.status));
    if (paidOrders.length > 0 && p.captured === 0)
      problems.push(
        `checkout ${c.id} has paid orders but payment ${p.id} is ${p.status} with nothing captured`,
      );
    // Money taken for orders that were all cancelled goes back in full.
    if (p.captured > 0 && orders.every((o) => o.status === "CANCELLED") && p.refunded !== p.captured)
      problems.push(`payment ${p.id} captured ${p.captured} for cancelled orders but refunded ${p.refunded}`);
    if (p.captured > 0 && c.status === "AWAITING_PAYMENT")
      problems.push(`payment ${p.id} captured but checkout ${c.id} still awaits payment`);
  }
  for (const [checkoutId, n] of perCheckout)
    if (n > 1) problems.push(`checkout ${checkoutId} has ${n} payments`);
  for (const c of s.checkouts)
    if (c.paymentId && !s.payments.some((p) => p.id === c.paymentId))
      problems.push(`checkout ${c.id} names payment ${c.paymentId} that does not exist`);
  // Refunds: what the orders count as refunded is what the provider gave back for them.
  const refunded = new Map<string, number>();
  for (const r of s.refunds)
    if (r.status !== "FAILED" && r.orderId)
      refunded.set(r.orderId, (refunded.get(r.orderId) ?? 0) + r.amount);
  for (const o of s.orders) {
    const back = refunded.get(o.id) ?? 0;
    if (back !== o.refunded)
      problems.push(`order ${o.id} counts ${o.refunded} refunded but refunds total ${back}`);
  }
  return result(
    "payments match orders",
    `${s.payments.length} payments, ${s.refunds.length} refunds: one capture at most, each with its orders`,
    problems,
  );
}

/** Every event reached the bus and every consumer group; dead letters and stuck steps are named. */
export function checkEvents(s: AuditSnapshot): CheckResult {
  const problems: string[] = [];
  for (const [service, n] of s.outboxPending)
    if (n > 0) problems.push(`${service}: ${n} events not published`);
  for (const [group, n] of s.busLag) if (n > 0) problems.push(`group ${group}: ${n} events not consumed`);
  for (const d of s.deadLetters)
    problems.push(`${d.service}: dead letter ${d.type} in ${d.group}: ${d.error.slice(0, 120)}`);
  for (const [service, n] of s.overdueTimers) if (n > 0) problems.push(`${service}: ${n} saga steps overdue`);
  if (s.undeliveredNotifications > 0)
    problems.push(`${s.undeliveredNotifications} payment notifications never reached the webhook`);
  return result(
    "no event lost",
    `${s.outboxPending.size} outboxes drained, ${s.busLag.size} consumer groups caught up, no dead letters, no overdue steps`,
    problems,
  );
}

export const CHECKS = [checkOrders, checkStock, checkReservations, checkPayments, checkEvents] as const;

export function audit(s: AuditSnapshot): CheckResult[] {
  return CHECKS.map((check) => check(s));
}

/** The one line `npm run chaos` ends with. */
export function auditLine(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => !r.ok).length;
  return `chaos audit: ${results.length - failed} passed, ${failed} failed`;
}
