import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@toko/kit";
import { readConfig } from "./config.ts";
import { webhookSecret } from "./start.ts";

const base = {
  DATABASE_URL: "postgres://localhost/shipping",
  TOKO_INTERNAL_SECRET: "internal-secret-0123456789",
};
const development = { ...base, TOKO_ENV: "development" };
const SECRETS = "jne=jne-secret-0123456789, jnt=jnt-secret-0123456789";

const refusesNaming = (variable: string) => (e: unknown) =>
  e instanceof ConfigError && e.issues.some((i) => i.variable === variable);

test("development: listed webhook secrets are used, the rest derive from the internal secret", () => {
  const config = readConfig({ ...development, SHIPPING_WEBHOOK_SECRETS: SECRETS });
  assert.equal(webhookSecret(config, "jne"), "jne-secret-0123456789");
  assert.equal(webhookSecret(config, "jnt"), "jnt-secret-0123456789");
  const derived = webhookSecret(config, "sicepat");
  assert.match(derived ?? "", /^[0-9a-f]{64}$/);
  assert.notEqual(derived, webhookSecret(config, "anteraja"));
  assert.equal(webhookSecret(readConfig(development), "sicepat"), derived);
  const noInternal = readConfig({ DATABASE_URL: base.DATABASE_URL, TOKO_ENV: "development" });
  assert.equal(webhookSecret(noInternal, "sicepat"), undefined);
});

test("outside development the webhook secrets must be named; nothing derives from the internal secret", () => {
  for (const env of [base, { ...base, TOKO_ENV: "production" }]) {
    assert.throws(() => readConfig(env), refusesNaming("SHIPPING_WEBHOOK_SECRETS"));
    const config = readConfig({ ...env, SHIPPING_WEBHOOK_SECRETS: SECRETS });
    assert.equal(webhookSecret(config, "jne"), "jne-secret-0123456789");
    // A carrier not listed accepts no webhook at all.
    assert.equal(webhookSecret(config, "sicepat"), undefined);
  }
});

test("a malformed secret list or a short secret stops start-up naming the variable", () => {
  for (const value of ["jne", "jne=short", "JNE=jne-secret-0123456789"]) {
    assert.throws(
      () => readConfig({ ...development, SHIPPING_WEBHOOK_SECRETS: value }),
      refusesNaming("SHIPPING_WEBHOOK_SECRETS"),
    );
  }
});

test("the simulated carrier is on by default in development only, 15 s a step", () => {
  const dev = readConfig(development);
  assert.deepEqual([dev.SHIPPING_SIMULATOR, dev.SHIPPING_SIMULATOR_STEP_MS], [true, 15_000]);
  const prod = readConfig({ ...base, TOKO_ENV: "production", SHIPPING_WEBHOOK_SECRETS: SECRETS });
  assert.equal(prod.SHIPPING_SIMULATOR, false);
  assert.equal(readConfig({ ...base, SHIPPING_WEBHOOK_SECRETS: SECRETS }).SHIPPING_SIMULATOR, false);
  // Named explicitly, either way wins.
  assert.equal(readConfig({ ...development, SHIPPING_SIMULATOR: "false" }).SHIPPING_SIMULATOR, false);
  const on = readConfig({ ...base, SHIPPING_WEBHOOK_SECRETS: SECRETS, SHIPPING_SIMULATOR: "1" });
  assert.equal(on.SHIPPING_SIMULATOR, true);
});
