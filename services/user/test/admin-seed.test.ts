import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createLogger } from "@toko/kit";
import { createTestDatabase, startTestService, TEST_INTERNAL_SECRET } from "@toko/testing";
import { loadUserConfig } from "../src/config.ts";
import { startUser } from "../src/start.ts";

/** A logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ service: "user", level: "info", format: "json", destination }) };
}

test("the seed never promotes an account someone registered with the admin email first", async () => {
  const db = await createTestDatabase();
  const env = (adminEmail: string) =>
    loadUserConfig({
      DATABASE_URL: db.url,
      GRPC_PORT: "0",
      OPS_PORT: "0",
      TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
      TOKO_ADMIN_EMAIL: adminEmail,
      TOKO_ADMIN_PASSWORD: "Correct-Horse-Battery-42",
    });
  try {
    const first = capturingLogger();
    const svc = await startTestService(() => startUser(env("admin@toko.test"), { logger: first.logger }));
    await svc.client(UserServiceClient).register({
      email: "boss@toko.test",
      password: "Squatter-Wants-Admin-9",
      name: "Not The Boss",
      phone: "",
    });
    await svc.stop();

    // The operator later names that address (in another spelling) as the admin.
    const second = capturingLogger();
    const again = await startTestService(() => startUser(env(" Boss@Toko.test "), { logger: second.logger }));
    await again.stop();
    const { rows } = await db.pool.query<{ roles: string[]; password_generated: boolean }>(
      "SELECT roles, password_generated FROM users WHERE email = 'boss@toko.test'",
    );
    assert.deepEqual(rows[0]?.roles, ["buyer"], "the look-alike stays a buyer");
    const refusal = second.lines.find((l) => l.outcome === "refused");
    assert.ok(refusal, "the refusal is logged");
    assert.equal(refusal.level, "error");
    assert.match(String(refusal.msg), /NOT made admin/);

    // The account the seed created itself stays admin across restarts.
    const admin = await db.pool.query<{ roles: string[] }>(
      "SELECT roles FROM users WHERE email = 'admin@toko.test'",
    );
    assert.deepEqual(admin.rows[0]?.roles, ["buyer", "admin"]);
  } finally {
    await db.drop();
  }
});
