import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { UserRegistered } from "@toko/contracts/toko/user/v1/events";
import { ADMIN_EMAIL, type Harness, rejectsWith, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

test("registration normalises the email, makes a buyer and never returns the password", async () => {
  const { user } = await h.anonymous.register({
    email: "  Budi.Santoso@Example.COM ",
    password: "Nasi-Goreng-Pedas-99",
    name: " Budi Santoso ",
    phone: "0812-3456-7890",
  });
  assert.ok(user);
  assert.equal(user.email, "budi.santoso@example.com");
  assert.equal(user.name, "Budi Santoso");
  assert.equal(user.phone, "+6281234567890");
  assert.deepEqual(user.roles, ["buyer"]);
  assert.equal(user.emailVerified, false);
  assert.ok(!JSON.stringify(user).includes("Nasi-Goreng"));
  const { rows } = await h.db.pool.query<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE id = $1",
    [user.id],
  );
  assert.match(rows[0]?.password_hash ?? "", /^\$argon2id\$/);
});

test("a duplicate email, in any case or Unicode form, is EMAIL_TAKEN", async () => {
  await h.newUser({ email: "sari@example.com" });
  await rejectsWith(
    h.anonymous.register({
      email: "SARI@example.com",
      password: "Es-Teh-Manis-Dingin-1",
      name: "Sari",
      phone: "",
    }),
    "EMAIL_TAKEN",
  );
  // "é" composed vs decomposed is one address after NFC.
  await h.newUser({ email: "jos\u00e9@example.com" });
  await rejectsWith(
    h.anonymous.register({
      email: "jose\u0301@example.com",
      password: "Es-Teh-Manis-Dingin-1",
      name: "J",
      phone: "",
    }),
    "EMAIL_TAKEN",
  );
});

test("the password policy refuses short, common and email-like passwords, naming the field", async () => {
  const cases = ["short1!", "password123", "Sayang123", "rina.w@example.com", "RINA.W"];
  for (const password of cases) {
    const error = await rejectsWith(
      h.anonymous.register({ email: "rina.w@example.com", password, name: "Rina", phone: "" }),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(
      error.violations.map((v) => v.field),
      ["password"],
      password,
    );
  }
  const { rows } = await h.db.pool.query("SELECT 1 FROM users WHERE email = 'rina.w@example.com'");
  assert.equal(rows.length, 0);
});

test("bad email, missing name and a foreign phone are reported together", async () => {
  const error = await rejectsWith(
    h.anonymous.register({
      email: "not-an-email",
      password: "Kopi-Susu-Gula-Aren-7",
      name: " ",
      phone: "555-1234",
    }),
    "VALIDATION_FAILED",
  );
  assert.deepEqual(error.violations.map((v) => v.field).sort(), ["email", "name", "phone"]);
});

test("registration writes UserRegistered and a verification request to the outbox", async () => {
  const { user } = await h.newUser({ email: "events@example.com", name: "Evi" });
  const registered = (await h.outbox("toko.user.v1.UserRegistered")).filter((e) => e.subject === user.id);
  assert.equal(registered.length, 1);
  const payload = UserRegistered.decode(registered[0]?.payload ?? new Uint8Array());
  assert.equal(payload.email, "events@example.com");
  assert.equal(payload.name, "Evi");
  assert.deepEqual(payload.roles, ["buyer"]);
  const verify = (await h.outbox("toko.user.v1.EmailVerificationRequested")).filter(
    (e) => e.subject === user.id,
  );
  assert.equal(verify.length, 1);
  const { event, token } = await h.lastVerifyToken(user.id);
  assert.equal(event.linkPrefix, "http://toko.test:8080/verify-email?token=");
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const v = { token };
  // Only the hash is stored.
  const { rows } = await h.db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM user_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
    [v.token],
  );
  assert.equal(rows[0]?.n, 1);
  const verified = await h.anonymous.verifyEmail({ token: v.token });
  assert.equal(verified.user?.emailVerified, true);
  await rejectsWith(h.anonymous.verifyEmail({ token: v.token }), "INVALID_TOKEN");
});

test("GetUser: self, admin and services may read; another user gets NOT_FOUND", async () => {
  const a = await h.newUser();
  const b = await h.newUser();
  assert.equal((await a.client.getUser({ userId: a.user.id })).user?.email, a.email);
  assert.equal((await h.service.getUser({ userId: a.user.id })).user?.id, a.user.id);
  assert.equal(
    (await h.as(b.user.id, ["buyer", "admin"]).getUser({ userId: a.user.id })).user?.id,
    a.user.id,
  );
  await rejectsWith(b.client.getUser({ userId: a.user.id }), "NOT_FOUND");
  await rejectsWith(h.anonymous.getUser({ userId: a.user.id }), "UNAUTHENTICATED");
  await rejectsWith(h.service.getUser({ userId: "not-a-uuid" }), "NOT_FOUND");
});

test("GetMe and UpdateProfile act on the caller only", async () => {
  const a = await h.newUser({ name: "Andi" });
  const b = await h.newUser({ name: "Bayu" });
  const updated = await a.client.updateProfile({ name: "Andi Wijaya", phone: "+62 813 1111 2222" });
  assert.equal(updated.user?.name, "Andi Wijaya");
  assert.equal(updated.user?.phone, "+6281311112222");
  assert.equal((await b.client.getMe({})).user?.name, "Bayu");
  const nameOnly = await a.client.updateProfile({ name: "Andi W" });
  assert.equal(nameOnly.user?.phone, "+6281311112222");
  await rejectsWith(a.client.updateProfile({ name: "" }), "VALIDATION_FAILED");
  assert.equal((await a.client.getMe({})).user?.name, "Andi W");
  await rejectsWith(h.anonymous.getMe({}), "UNAUTHENTICATED");
  await rejectsWith(h.service.getMe({}), "UNAUTHENTICATED");
});

test("GrantRole: services and admins grant seller, only admins grant admin, idempotently", async () => {
  const a = await h.newUser();
  const b = await h.newUser();
  await rejectsWith(a.client.grantRole({ userId: a.user.id, role: "seller" }), "FORBIDDEN");
  await rejectsWith(h.service.grantRole({ userId: a.user.id, role: "admin" }), "FORBIDDEN");
  await rejectsWith(h.service.grantRole({ userId: a.user.id, role: "owner" }), "VALIDATION_FAILED");
  const seller = await h.service.grantRole({ userId: a.user.id, role: "seller" });
  assert.deepEqual(seller.user?.roles, ["buyer", "seller"]);
  const again = await h.service.grantRole({ userId: a.user.id, role: "seller" });
  assert.deepEqual(again.user?.roles, ["buyer", "seller"]);
  const admin = await h.as(b.user.id, ["buyer", "admin"]).grantRole({ userId: a.user.id, role: "admin" });
  assert.deepEqual(admin.user?.roles, ["buyer", "seller", "admin"]);
  await rejectsWith(
    h.service.grantRole({ userId: "0190aaaa-0000-7000-8000-000000000000", role: "seller" }),
    "NOT_FOUND",
  );
});

test("the admin is seeded from configuration", async () => {
  const { rows } = await h.db.pool.query<{ roles: string[] }>("SELECT roles FROM users WHERE email = $1", [
    ADMIN_EMAIL,
  ]);
  assert.deepEqual(rows[0]?.roles, ["buyer", "admin"]);
});

test("forged principals are refused before any handler runs", async () => {
  const a = await h.newUser();
  const forged = h.svc.client((await import("@toko/contracts/toko/user/v1/user")).UserServiceClient, {
    internalSecret: "a-different-secret-that-is-long-enough",
    principal: { subject: a.user.id, roles: ["buyer", "admin"], scopes: [] },
  });
  await rejectsWith(forged.getMe({}), "UNAUTHENTICATED");
});
