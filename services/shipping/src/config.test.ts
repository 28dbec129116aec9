import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@toko/kit";
import { readConfig } from "./config.ts";
import { webhookSecret } from "./start.ts";

const base = {
  DATABASE_URL: "postgres://localhost/shipping",
  TOKO_INTERNAL_SECRET: "internal-secret-0123456789",
};

test("carrier webhook secrets: listed ones are used, the rest derive from the internal secret", () => {
  const config = readConfig({
    ...base,
    SHIPPING_WEBHOOK_SECRETS: "jne=jne-secret-0123456789, jnt=jnt-secret-0123456789",
  });
  assert.equal(webhookSecret(config, "jne"), "jne-secret-0123456789");
  assert.equal(webhookSecret(config, "jnt"), "jnt-secret-0123456789");
  const derived = webhookSecret(config, "sicepat");
  assert.match(derived ?? "", /^[0-9a-f]{64}$/);
  assert.notEqual(derived, webhookSecret(config, "anteraja"));
  assert.equal(webhookSecret(readConfig({ DATABASE_URL: base.DATABASE_URL }), "sicepat"), undefined);
});

test("a malformed secret list or a short secret stops start-up naming the variable", () => {
  for (const value of ["jne", "jne=short", "JNE=jne-secret-0123456789"]) {
    assert.throws(
      () => readConfig({ ...base, SHIPPING_WEBHOOK_SECRETS: value }),
      (e: unknown) => e instanceof ConfigError && e.message.includes("SHIPPING_WEBHOOK_SECRETS"),
    );
  }
});

test("the simulated carrier is on by default, 15 s a step", () => {
  const config = readConfig(base);
  assert.deepEqual([config.SHIPPING_SIMULATOR, config.SHIPPING_SIMULATOR_STEP_MS], [true, 15_000]);
});
