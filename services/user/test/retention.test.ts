import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { countRows, waitFor } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness({
    USER_PRUNE_INTERVAL_MS: "100",
    USER_TOKEN_RETENTION_MS: "3600000",
    USER_LOCKOUT_RESET_MS: "3600000",
    USER_RESET_PASSWORD_TTL_MS: "1800000",
  });
});
after(() => h.stop());

const resetTokens = () => countRows(h.db.pool, "user_tokens", { purpose: "reset_password" });
const failuresFor = (key: string) => countRows(h.db.pool, "login_failures", { key });

test("spent tokens and stale login failures are pruned on schedule; live ones stay", async () => {
  h.clock.pinned = Date.now();
  const used = await h.newUser();
  await h.anonymous.requestPasswordReset({ email: used.email });
  const { token } = await h.lastResetToken(used.user.id);
  await h.anonymous.confirmPasswordReset({ token, newPassword: "Rendang-Padang-Enak-3" });
  const expiring = await h.newUser();
  await h.anonymous.requestPasswordReset({ email: expiring.email });
  await h.service.verifyCredentials({
    email: "typo@example.com",
    password: "nope",
    clientAddress: "203.0.113.9",
  });
  assert.equal(await resetTokens(), 2);
  assert.equal(await failuresFor("typo@example.com"), 1);
  const verifyTokens = await countRows(h.db.pool, "user_tokens", { purpose: "verify_email" });
  assert.ok(verifyTokens >= 2);

  // Two hours on: the used token (used 2 h ago) and the expired one (1.5 h ago) are past the
  // one-hour retention; the failures were quiet longer than the lockout's reset window.
  h.clock.advance(2 * 3600_000);
  await h.service.verifyCredentials({ email: "fresh@example.com", password: "nope", clientAddress: "" });
  await waitFor(
    async () => (await resetTokens()) === 0 && (await failuresFor("typo@example.com")) === 0,
    "the prune",
  );
  assert.equal(await failuresFor("203.0.113.9"), 0);
  assert.equal(await failuresFor("fresh@example.com"), 1, "a recent failure stays");
  assert.equal(
    await countRows(h.db.pool, "user_tokens", { purpose: "verify_email" }),
    verifyTokens,
    "unexpired, unused verification tokens stay",
  );
});
