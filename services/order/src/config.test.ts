import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "@toko/kit";
import { readConfig } from "./config.ts";

const base = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/order",
  EVENT_BUS: "none",
  TOKO_INTERNAL_SECRET: "an-internal-secret-of-enough-length-0123456789",
};

test("ORDER_DISABLE_COMPENSATION is off unless asked for, and a development-only hook", () => {
  assert.equal(readConfig(base).ORDER_DISABLE_COMPENSATION, false);
  assert.equal(readConfig({ ...base, ORDER_DISABLE_COMPENSATION: "true" }).ORDER_DISABLE_COMPENSATION, true);
  assert.throws(
    () => readConfig({ ...base, TOKO_ENV: "production", ORDER_DISABLE_COMPENSATION: "true" }),
    (error: unknown) => error instanceof ConfigError && /ORDER_DISABLE_COMPENSATION/.test(error.message),
  );
});
