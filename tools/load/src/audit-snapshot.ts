import { createPool, databaseUrl } from "@toko/kit";
import type pg from "pg";
import type { AuditSnapshot } from "./audit.ts";

/** A timer this long past due is a saga step that keeps failing, not one about to run. */
const OVERDUE_GRACE_S = 60;

const int = (v: unknown) => Number(v ?? 0);

async function withPool<T>(url: string, body: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = createPool({ url, max: 2, applicationName: "toko-audit" });
  try {
    return await body(pool);
  } finally {
    await pool.end();
  }
}

async function hasTable(pool: pg.Pool, table: string): Promise<boolean> {
  const { rows } = await pool.query("SELECT to_regclass($1) IS NOT NULL AS ok", [table]);
  return rows[0]?.ok === true;
}

/**
 * Reads what the audit checks straight from each service's database (and the bus database).
 * `databases` maps service name → database name, as the launcher creates them.
 */
export async function readSnapshot(
  adminUrl: string,
  databases: ReadonlyMap<string, string>,
  busDatabase = "bus",
): Promise<AuditSnapshot> {
  const url = (name: string) => databaseUrl(adminUrl, name);
  const snapshot: AuditSnapshot = {
    orders: [],
    checkouts: [],
    payments: [],
    captures: new Map(),
    refunds: [],
    stock: [],
    reservations: [],
    outboxPending: new Map(),
    busLag: new Map(),
    deadLetters: [],
    overdueTimers: new Map(),
    undeliveredNotifications: 0,
  };
  const order = databases.get("order");
  if (order)
    await withPool(url(order), async (pool) => {
      const orders = await pool.query(
        "SELECT id, checkout_id, status, total, refunded, payment_method, paid_at IS NOT NULL AS paid FROM orders",
      );
      snapshot.orders = orders.rows.map((r) => ({
        id: r.id,
        checkoutId: r.checkout_id,
        status: r.status,
        total: int(r.total),
        refunded: int(r.refunded),
        paymentMethod: r.payment_method,
        paid: r.paid,
      }));
      const checkouts = await pool.query(
        "SELECT id, status, payment_method, payment_id, payment_status FROM checkouts",
      );
      snapshot.checkouts = checkouts.rows.map((r) => ({
        id: r.id,
        status: r.status,
        method: r.payment_method,
        paymentId: r.payment_id,
        paymentStatus: r.payment_status,
      }));
    });
  const payment = databases.get("payment");
  if (payment)
    await withPool(url(payment), async (pool) => {
      const payments = await pool.query(
        "SELECT id, checkout_id, status, method, amount, captured, refunded FROM payments",
      );
      snapshot.payments = payments.rows.map((r) => ({
        id: r.id,
        checkoutId: r.checkout_id,
        status: r.status,
        method: r.method,
        amount: int(r.amount),
        captured: int(r.captured),
        refunded: int(r.refunded),
      }));
      const captures = await pool.query(
        `SELECT payment_id, count(*)::int AS n FROM ledger_transactions
          WHERE kind IN ('capture', 'late_capture') GROUP BY payment_id`,
      );
      snapshot.captures = new Map(captures.rows.map((r) => [r.payment_id as string, int(r.n)]));
      const refunds = await pool.query("SELECT payment_id, order_id, amount, status FROM refunds");
      snapshot.refunds = refunds.rows.map((r) => ({
        paymentId: r.payment_id,
        orderId: r.order_id,
        amount: int(r.amount),
        status: r.status,
      }));
      const undelivered = await pool.query(
        `SELECT count(*)::int AS n FROM sandbox_deliveries
          WHERE status = 'abandoned' OR (status = 'pending' AND next_attempt_at < now() - make_interval(secs => $1))`,
        [OVERDUE_GRACE_S],
      );
      snapshot.undeliveredNotifications = int(undelivered.rows[0]?.n);
    });
  const inventory = databases.get("inventory");
  if (inventory)
    await withPool(url(inventory), async (pool) => {
      const stock = await pool.query(
        `SELECT l.warehouse_id, l.sku, l.on_hand, l.reserved,
                coalesce(g.on_hand, 0) AS ledger_on_hand, coalesce(g.reserved, 0) AS ledger_reserved,
                coalesce(h.held, 0) AS held
           FROM stock_levels l
           LEFT JOIN (SELECT warehouse_id, sku, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
                        FROM stock_ledger GROUP BY warehouse_id, sku) g
             ON g.warehouse_id = l.warehouse_id AND g.sku = l.sku
           LEFT JOIN (SELECT a.warehouse_id, a.sku, sum(a.quantity) AS held
                        FROM reservation_allocations a JOIN reservations r USING (checkout_id)
                       WHERE r.status = 'held' GROUP BY a.warehouse_id, a.sku) h
             ON h.warehouse_id = l.warehouse_id AND h.sku = l.sku`,
      );
      snapshot.stock = stock.rows.map((r) => ({
        warehouseId: r.warehouse_id,
        sku: r.sku,
        onHand: int(r.on_hand),
        reserved: int(r.reserved),
        ledgerOnHand: int(r.ledger_on_hand),
        ledgerReserved: int(r.ledger_reserved),
        heldReservations: int(r.held),
      }));
      // Ledger rows for a (warehouse, sku) without a level would be stock nobody can see.
      const orphans = await pool.query(
        `SELECT g.warehouse_id, g.sku, sum(g.on_hand_delta) AS on_hand, sum(g.reserved_delta) AS reserved
           FROM stock_ledger g LEFT JOIN stock_levels l ON l.warehouse_id = g.warehouse_id AND l.sku = g.sku
          WHERE l.sku IS NULL GROUP BY g.warehouse_id, g.sku`,
      );
      for (const r of orphans.rows)
        snapshot.stock.push({
          warehouseId: r.warehouse_id,
          sku: r.sku,
          onHand: 0,
          reserved: 0,
          ledgerOnHand: int(r.on_hand),
          ledgerReserved: int(r.reserved),
          heldReservations: 0,
        });
      const reservations = await pool.query("SELECT checkout_id, status FROM reservations");
      snapshot.reservations = reservations.rows.map((r) => ({ checkoutId: r.checkout_id, status: r.status }));
    });
  for (const [service, database] of databases) {
    await withPool(url(database), async (pool) => {
      if (await hasTable(pool, "kit_outbox")) {
        const { rows } = await pool.query(
          "SELECT count(*)::int AS n FROM kit_outbox WHERE delivered_at IS NULL",
        );
        snapshot.outboxPending.set(service, int(rows[0]?.n));
      }
      if (await hasTable(pool, "kit_dead_letters")) {
        const { rows } = await pool.query("SELECT group_name, type, error FROM kit_dead_letters ORDER BY id");
        for (const r of rows)
          snapshot.deadLetters.push({ service, group: r.group_name, type: r.type, error: r.error });
      }
      if (await hasTable(pool, "kit_timers")) {
        const { rows } = await pool.query(
          "SELECT count(*)::int AS n FROM kit_timers WHERE due_at < now() - make_interval(secs => $1)",
          [OVERDUE_GRACE_S],
        );
        snapshot.overdueTimers.set(service, int(rows[0]?.n));
      }
    });
  }
  await withPool(url(busDatabase), async (pool) => {
    if (!(await hasTable(pool, "kit_bus_offsets"))) return;
    const { rows } = await pool.query(
      `SELECT o.group_name, sum(greatest(p.head - o.committed, 0))::int AS lag
         FROM kit_bus_offsets o JOIN kit_bus_partitions p USING (partition) GROUP BY o.group_name`,
    );
    for (const r of rows) snapshot.busLag.set(r.group_name, int(r.lag));
  });
  return snapshot;
}
