import assert from "node:assert/strict";
import { test } from "node:test";
import { roleOf } from "./stack.ts";

test("a process is named by the service it runs, from its sources or from its build", () => {
  assert.equal(
    roleOf("/usr/bin/node --import file:///r/tsx/index.mjs /r/services/order/src/main.ts"),
    "order",
  );
  assert.equal(
    roleOf("/usr/bin/node --max-semi-space-size=2 --conditions=production /r/services/user/dist/seed.js"),
    "user",
  );
  assert.equal(roleOf("node --conditions=production /r/apps/gateway/dist/main.js"), "gateway");
  assert.equal(roleOf("postgres: toko cart 127.0.0.1(5432) idle"), "postgres");
  assert.equal(roleOf("node /r/services/order/dist/other.js"), undefined);
});
