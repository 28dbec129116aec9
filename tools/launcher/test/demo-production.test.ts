// Outside development (TOKO_ENV=production in the launcher's environment) `npm start` seeds no
// demo marketplace and prints and keeps no demo accounts.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { DemoStack, printedAccounts } from "./demo-stack.ts";

const stack = new DemoStack();
before(() => stack.setup());
after(() => stack.teardown());

test("production (TOKO_ENV=production): no demo data, no demo accounts printed or kept", async (t) => {
  t.after(stack.stop);
  const out = await stack.start({ TOKO_ENV: "production" });
  assert.doesNotMatch(out, /demo accounts \(/);
  assert.equal(printedAccounts(out).size, 0);
  assert.match(out, /product:seed .*not development \(TOKO_ENV\); no demo marketplace/);
  assert.equal(existsSync(join(stack.data.dir, "demo-accounts.json")), false);
  const s = await stack.snapshot();
  // Only the admin the user service always makes (with a password nobody was shown).
  assert.equal(s.users?.n, 1);
  assert.equal(s.shops?.n, 0);
  assert.equal(s.warehouses, 0);
  assert.equal(s.ledger?.n, 0);
});
