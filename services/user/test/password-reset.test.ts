import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Harness, rejectsWith, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness({ USER_RESET_PASSWORD_TTL_MS: "600000" });
});
after(() => h.stop());

const lastResetToken = (userId: string) => h.lastResetToken(userId);

test("the request answers the same whether or not the email exists; only real accounts get an event", async () => {
  const u = await h.newUser({ email: "reset.me@example.com" });
  const before = (await h.outbox("toko.user.v1.PasswordResetRequested")).length;
  assert.deepEqual(await h.anonymous.requestPasswordReset({ email: "no.such.user@example.com" }), {});
  assert.equal((await h.outbox("toko.user.v1.PasswordResetRequested")).length, before);
  assert.deepEqual(await h.anonymous.requestPasswordReset({ email: " RESET.me@example.com" }), {});
  const { event, token } = await lastResetToken(u.user.id);
  assert.equal(event.email, "reset.me@example.com");
  assert.equal(event.linkPrefix, "http://toko.test:8080/reset-password?token=");
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  // The clear fields are deprecated and stay empty: the token travels sealed only.
  assert.equal(event.token, "");
  assert.equal(event.resetUrl, "");
  assert.equal(event.expiresAt?.getTime(), (event.requestedAt?.getTime() ?? 0) + 600_000);
});

test("a reset token sets the password once; reuse is INVALID_TOKEN", async () => {
  const u = await h.newUser();
  await h.anonymous.requestPasswordReset({ email: u.email });
  const { token } = await lastResetToken(u.user.id);
  await rejectsWith(
    h.anonymous.confirmPasswordReset({ token, newPassword: "password1" }),
    "VALIDATION_FAILED",
  );
  await h.anonymous.confirmPasswordReset({ token, newPassword: "Rendang-Padang-Enak-3" });
  await rejectsWith(
    h.anonymous.confirmPasswordReset({ token, newPassword: "Another-Good-Pass-44" }),
    "INVALID_TOKEN",
  );
  const old = await h.service.verifyCredentials({ email: u.email, password: u.password, clientAddress: "" });
  assert.equal(old.failure?.code, "INVALID_CREDENTIALS");
  const fresh = await h.service.verifyCredentials({
    email: u.email,
    password: "Rendang-Padang-Enak-3",
    clientAddress: "",
  });
  assert.equal(fresh.verified?.userId, u.user.id);
  assert.equal(fresh.verified?.emailVerified, true, "the reset proved the inbox");
});

test("an expired or made-up token is INVALID_TOKEN and changes nothing", async () => {
  const u = await h.newUser();
  await h.anonymous.requestPasswordReset({ email: u.email });
  const { token } = await lastResetToken(u.user.id);
  h.clock.advance(600_001);
  await rejectsWith(
    h.anonymous.confirmPasswordReset({ token, newPassword: "Sate-Ayam-Madura-12" }),
    "INVALID_TOKEN",
  );
  await rejectsWith(
    h.anonymous.confirmPasswordReset({ token: "x".repeat(43), newPassword: "Sate-Ayam-Madura-12" }),
    "INVALID_TOKEN",
  );
  await rejectsWith(
    h.anonymous.confirmPasswordReset({ token: "short", newPassword: "Sate-Ayam-Madura-12" }),
    "INVALID_TOKEN",
  );
  const still = await h.service.verifyCredentials({
    email: u.email,
    password: u.password,
    clientAddress: "",
  });
  assert.equal(still.verified?.userId, u.user.id);
});

test("at most three live reset links per account; more requests are dropped silently", async () => {
  const u = await h.newUser();
  for (let i = 0; i < 5; i++) await h.anonymous.requestPasswordReset({ email: u.email });
  const events = (await h.outbox("toko.user.v1.PasswordResetRequested")).filter(
    (e) => e.subject === u.user.id,
  );
  assert.equal(events.length, 3);
});

test("the raw token is never stored, only its SHA-256", async () => {
  const u = await h.newUser();
  await h.anonymous.requestPasswordReset({ email: u.email });
  const { token } = await lastResetToken(u.user.id);
  const { rows } = await h.db.pool.query<{ hex: string }>(
    "SELECT encode(token_hash, 'hex') AS hex FROM user_tokens WHERE user_id = $1 AND purpose = 'reset_password'",
    [u.user.id],
  );
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0]?.hex, Buffer.from(token).toString("hex"));
  const { createHash } = await import("node:crypto");
  assert.equal(rows[0]?.hex, createHash("sha256").update(token).digest("hex"));
});
