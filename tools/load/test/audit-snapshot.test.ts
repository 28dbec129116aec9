// The audit against real databases: the services' own migrations, a consistent state written
// with SQL, then one broken invariant at a time; each must fail its check and only while broken.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { kitBusMigrations, kitMigrations, migrate, readMigrations } from "@toko/kit";
import { repoRoot } from "@toko/launcher";
import { createTestDatabase, type TestDatabase, testPostgresUrl } from "@toko/testing";
import { audit, auditLine } from "../src/audit.ts";
import { readSnapshot } from "../src/audit-snapshot.ts";

let order: TestDatabase;
let payment: TestDatabase;
let inventory: TestDatabase;
let bus: TestDatabase;
let adminUrl: string;

const nameOf = (db: TestDatabase) => new URL(db.url).pathname.slice(1);

async function service(name: string): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await migrate(db.pool, [
    ...kitMigrations,
    ...readMigrations(join(repoRoot, "services", name, "migrations")),
  ]);
  return db;
}

async function run() {
  const databases = new Map([
    ["order", nameOf(order)],
    ["payment", nameOf(payment)],
    ["inventory", nameOf(inventory)],
  ]);
  return audit(await readSnapshot(adminUrl, databases, nameOf(bus)));
}

async function failing(): Promise<string[]> {
  return (await run()).filter((r) => !r.ok).map((r) => r.name);
}

const ORDER_COLUMNS = `(id, checkout_id, buyer_id, shop_id, shop_owner_id, status, subtotal, discount, shipping,
  service_fee, total, commission, voucher_codes, shipping_option_id, origin, destination, parcel, lines, history,
  payment_method, paid_at, created_at, updated_at)`;

before(async () => {
  adminUrl = await testPostgresUrl();
  [order, payment, inventory] = await Promise.all([
    service("order"),
    service("payment"),
    service("inventory"),
  ]);
  bus = await createTestDatabase();
  await migrate(bus.pool, kitBusMigrations);
  // c1: paid and committed. c2: payment declined, orders cancelled, stock released.
  await order.pool.query(
    `INSERT INTO checkouts (id, buyer_id, idempotency_key, fingerprint, status, payment_method, payment_channel,
       amount, payment_id, payment_status, created_at, updated_at) VALUES
     ('c1', 'b1', 'k1', 'f', 'PAID', 'ewallet', 'gopay', 1000, 'p1', 'SUCCEEDED', now(), now()),
     ('c2', 'b1', 'k2', 'f', 'CANCELLED', 'ewallet', 'gopay', 500, 'p2', 'FAILED', now(), now())`,
  );
  await order.pool.query(
    `INSERT INTO orders ${ORDER_COLUMNS} VALUES
     ('o1', 'c1', 'b1', 's1', 'u1', 'PAID', 1000, 0, 0, 0, 1000, 50, '[]', 'jne', '{}', '{}', '{}', '[]', '[]', 'ewallet', now(), now(), now()),
     ('o2', 'c2', 'b1', 's1', 'u1', 'CANCELLED', 500, 0, 0, 0, 500, 25, '[]', 'jne', '{}', '{}', '{}', '[]', '[]', 'ewallet', NULL, now(), now())`,
  );
  await payment.pool.query(
    `INSERT INTO payments (id, checkout_id, payer_id, amount, method, channel, status, provider, provider_reference,
       instructions, expires_at, captured) VALUES
     ('p1', 'c1', 'b1', 1000, 'ewallet', 'gopay', 'SUCCEEDED', 'sandbox', 'r1', '{}', now() + interval '1 hour', 1000),
     ('p2', 'c2', 'b1', 500, 'ewallet', 'gopay', 'FAILED', 'sandbox', 'r2', '{}', now() + interval '1 hour', 0)`,
  );
  const client = await payment.pool.connect();
  try {
    await client.query("BEGIN");
    const tx = await client.query(
      "INSERT INTO ledger_transactions (payment_id, kind, reference) VALUES ('p1', 'capture', 'n1') RETURNING id",
    );
    await client.query(
      "INSERT INTO ledger_postings (transaction_id, account, amount) VALUES ($1, 'cash', 1000), ($1, 'payable', -1000)",
      [tx.rows[0].id],
    );
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  await inventory.pool.query(
    `INSERT INTO warehouses (id, shop_id, name, address, city, province, is_default)
       VALUES ('w1', 's1', 'Gudang', 'Jl. 1', 'Jakarta', 'DKI Jakarta', true);
     INSERT INTO stock_levels (warehouse_id, sku, shop_id, on_hand, reserved) VALUES ('w1', 'KOPI-1', 's1', 99, 0);
     INSERT INTO stock_ledger (shop_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, actor, reference) VALUES
       ('s1', 'w1', 'KOPI-1', 100, 0, 'adjustment', 'seed', ''),
       ('s1', 'w1', 'KOPI-1', 0, 1, 'reservation', 'order', 'c1'),
       ('s1', 'w1', 'KOPI-1', -1, -1, 'commit', 'order', 'c1'),
       ('s1', 'w1', 'KOPI-1', 0, 1, 'reservation', 'order', 'c2'),
       ('s1', 'w1', 'KOPI-1', 0, -1, 'release', 'order', 'c2');
     INSERT INTO reservations (checkout_id, status, request_key, expires_at) VALUES
       ('c1', 'committed', 'x', now() + interval '1 hour'), ('c2', 'released', 'y', now() + interval '1 hour');
     INSERT INTO reservation_allocations (checkout_id, shop_id, sku, warehouse_id, quantity) VALUES
       ('c1', 's1', 'KOPI-1', 'w1', 1), ('c2', 's1', 'KOPI-1', 'w1', 1);`,
  );
});

after(async () => {
  await Promise.all([order, payment, inventory, bus].map((d) => d?.drop()));
});

/** Breaks the state with `sql`, expects exactly `check` to fail, then mends it with `undo`. */
async function broken(db: () => TestDatabase, sql: string, undo: string, check: string) {
  await db().pool.query(sql);
  try {
    assert.deepEqual(await failing(), [check]);
  } finally {
    await db().pool.query(undo);
  }
  assert.deepEqual(await failing(), []);
}

describe("audit over the services' databases", () => {
  test("the consistent state passes", async () => {
    const results = await run();
    assert.deepEqual(
      results.filter((r) => !r.ok),
      [],
    );
    assert.equal(auditLine(results), "chaos audit: 5 passed, 0 failed");
    assert.match(results.find((r) => r.name === "stock ledger balanced")?.detail ?? "", /^1 stock levels/);
  });

  test("an order its cancelled checkout left awaiting payment fails 'orders consistent'", () =>
    broken(
      () => order,
      "UPDATE orders SET status = 'AWAITING_PAYMENT' WHERE id = 'o2'",
      "UPDATE orders SET status = 'CANCELLED' WHERE id = 'o2'",
      "orders consistent",
    ));

  test("a level that is not its ledger's sum fails 'stock ledger balanced'", () =>
    broken(
      () => inventory,
      "UPDATE stock_levels SET on_hand = 98",
      "UPDATE stock_levels SET on_hand = 99",
      "stock ledger balanced",
    ));

  test("stock still held for a cancelled checkout (no compensation) fails 'reservations follow orders'", async () => {
    // The level agrees with the held reservation, so only the cross-service rule can catch it.
    await inventory.pool.query(
      `INSERT INTO stock_ledger (shop_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, actor, reference)
         VALUES ('s1', 'w1', 'KOPI-1', 0, 1, 'reservation', 'order', 'c2-again')`,
    );
    await broken(
      () => inventory,
      "UPDATE reservations SET status = 'held' WHERE checkout_id = 'c2'; UPDATE stock_levels SET reserved = 1",
      `UPDATE reservations SET status = 'released' WHERE checkout_id = 'c2'; UPDATE stock_levels SET reserved = 0;
       INSERT INTO stock_ledger (shop_id, warehouse_id, sku, on_hand_delta, reserved_delta, reason, actor, reference)
         VALUES ('s1', 'w1', 'KOPI-1', 0, -1, 'release', 'order', 'c2-again')`,
      "reservations follow orders",
    );
  });

  test("a payment without an order fails 'payments match orders'", () =>
    broken(
      () => payment,
      `INSERT INTO payments (id, checkout_id, payer_id, amount, method, channel, status, provider, provider_reference,
         instructions, expires_at) VALUES ('p9', 'c9', 'b1', 10, 'ewallet', 'gopay', 'PENDING', 'sandbox', 'r9', '{}', now())`,
      "DELETE FROM payments WHERE id = 'p9'",
      "payments match orders",
    ));

  test("an event left in an outbox, a dead letter or a lagging consumer group fails 'no event lost'", async () => {
    await broken(
      () => order,
      `INSERT INTO kit_outbox (event_id, type, subject, envelope) VALUES (gen_random_uuid(), 'OrderPaid', 'o1', '\\x00')`,
      "DELETE FROM kit_outbox",
      "no event lost",
    );
    await broken(
      () => payment,
      `INSERT INTO kit_dead_letters (group_name, event_id, type, subject, envelope, error, attempts)
         VALUES ('payment.orders', gen_random_uuid(), 'OrderCancelled', 'o2', '\\x00', 'refund failed', 10)`,
      "DELETE FROM kit_dead_letters",
      "no event lost",
    );
    await broken(
      () => bus,
      `UPDATE kit_bus_partitions SET head = 3 WHERE partition = 0;
       INSERT INTO kit_bus_offsets (group_name, partition, committed) VALUES ('search.catalog', 0, 1)`,
      "UPDATE kit_bus_offsets SET committed = 3",
      "no event lost",
    );
  });

  test("a second capture of one payment (a double charge) fails 'payments match orders'", async () => {
    // Last: the ledger is append-only, so this cannot be undone.
    const client = await payment.pool.connect();
    try {
      await client.query("BEGIN");
      const tx = await client.query(
        "INSERT INTO ledger_transactions (payment_id, kind, reference) VALUES ('p1', 'capture', 'n2') RETURNING id",
      );
      await client.query(
        "INSERT INTO ledger_postings (transaction_id, account, amount) VALUES ($1, 'cash', 1000), ($1, 'payable', -1000)",
        [tx.rows[0].id],
      );
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const result = (await run()).find((r) => r.name === "payments match orders");
    assert.equal(result?.ok, false);
    assert.match(result?.detail ?? "", /p1 captured 2 times/);
  });
});
