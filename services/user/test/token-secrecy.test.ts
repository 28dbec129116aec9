import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createLogger, openServiceResources, type ServiceResources } from "@toko/kit";
import { createTestDatabase, type TestDatabase, waitFor } from "@toko/testing";
import type pg from "pg";
import { type Harness, startHarness } from "./harness.ts";

// Reset and verification tokens reach the notification service through the outbox, the bus
// (kept for days) and, when a consumer fails, its dead letters. None of them may hold a usable
// token: after a reset request, every table of those databases is searched for the raw token.
let bus: TestDatabase;
let consumerDb: TestDatabase;
let h: Harness;
let poison: ServiceResources<unknown>;

before(async () => {
  [bus, consumerDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  h = await startHarness({ BUS_DATABASE_URL: bus.url });
  // A consumer whose handler always fails: every reset event ends in its dead letters.
  poison = await openServiceResources({
    name: "poison",
    config: {
      LOG_LEVEL: "silent",
      DATABASE_URL: consumerDb.url,
      EVENT_BUS: "postgres",
      BUS_DATABASE_URL: bus.url,
      NATS_URL: "nats://127.0.0.1:4222",
    },
    logger: createLogger({ service: "poison", level: "silent" }),
  });
  await poison.startConsumers(
    (c) =>
      c.subscribe("poison.resets", ["toko.user.v1.PasswordResetRequested"], async () => {
        throw new Error("cannot send email");
      }),
    { maxAttempts: 1, retryMinMs: 10, retryMaxMs: 10 },
  );
});
after(async () => {
  await poison?.close();
  await h?.stop();
  await Promise.all([bus?.drop(), consumerDb?.drop()]);
});

/** Tables (any schema but the catalogs) with a row whose column text or bytes contain `needle`. */
async function tablesHolding(pool: pg.Pool, needle: string): Promise<string[]> {
  const { rows: columns } = await pool.query<{ schema: string; table: string; column: string; type: string }>(
    `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column, c.data_type AS type
       FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const found = new Set<string>();
  for (const { schema, table, column, type } of columns) {
    const name = `"${schema}"."${table}"`;
    const condition =
      type === "bytea"
        ? `position(convert_to($1, 'UTF8') IN "${column}") > 0`
        : `"${column}"::text LIKE '%' || $1 || '%'`;
    const { rows } = await pool.query(`SELECT 1 FROM ${name} WHERE ${condition} LIMIT 1`, [needle]);
    if (rows.length > 0) found.add(`${name}.${column}`);
  }
  return [...found];
}

test("no table of the bus, the outbox or a dead-letter store ever holds a usable reset token", async () => {
  const u = await h.newUser({ email: "secret.keeper@example.com" });
  await h.anonymous.requestPasswordReset({ email: u.email });
  const { token } = await h.lastResetToken(u.user.id);

  // Delivered to the bus and dead-lettered by the failing consumer.
  await waitFor(async () => {
    const { rows } = await consumerDb.pool.query("SELECT 1 FROM kit_dead_letters");
    return rows.length > 0;
  }, "the reset event in the consumer's dead letters");
  const { rows: delivered } = await h.db.pool.query(
    "SELECT 1 FROM kit_outbox WHERE type = 'toko.user.v1.PasswordResetRequested' AND delivered_at IS NOT NULL",
  );
  assert.ok(delivered.length > 0, "the relay delivered the event");

  // The scan can find things: the email is in the same rows the token would be in.
  assert.ok((await tablesHolding(bus.pool, u.user.id)).length > 0);
  assert.ok((await tablesHolding(consumerDb.pool, u.user.id)).length > 0);
  for (const [where, pool] of [
    ["bus", bus.pool],
    ["user", h.db.pool],
    ["consumer", consumerDb.pool],
  ] as const) {
    assert.deepEqual(await tablesHolding(pool, token), [], `the raw token rests in the ${where} database`);
  }

  // The opened token is the real one: it resets the password.
  await h.anonymous.confirmPasswordReset({ token, newPassword: "Rendang-Padang-Enak-3" });
});
