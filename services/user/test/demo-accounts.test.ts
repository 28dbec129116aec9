// The development seed's demo accounts (src/seed.ts → seedDemoAccounts) against a real database.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createDb, createLogger, uuidv7 } from "@toko/kit";
import { countRows, createTestDatabase, type TestDatabase } from "@toko/testing";
import { type DemoAccountInput, seedDemoAccounts } from "../src/demo/demo-accounts.ts";
import { PasswordPolicy } from "../src/domain/password-policy.ts";
import { loadCommonPasswords } from "../src/infrastructure/common-passwords.ts";
import type { UserDatabase } from "../src/infrastructure/db-schema.ts";
import { createArgon2Hasher, type PasswordHasher } from "../src/infrastructure/password-hasher.ts";
import { migrationsDir } from "../src/start.ts";

let db: TestDatabase;
let hasher: PasswordHasher;
const logger = createLogger({ service: "user-seed", level: "silent", format: "json" });
const deps = () => ({
  db: createDb<UserDatabase>(db.pool),
  hasher,
  policy: new PasswordPolicy(loadCommonPasswords()),
  logger,
});

const buyer: DemoAccountInput = {
  id: "0190d000-0000-7000-8000-00000000b001",
  email: "buyer@toko.local",
  name: "Demo Buyer",
  password: "k3T9-demo-buyer-pw",
  roles: ["buyer"],
};
const seller: DemoAccountInput = {
  id: "0190d000-0000-7000-8000-00000000e001",
  email: "seller@toko.local",
  name: "Demo Seller",
  password: "Zq81-demo-seller-pw",
  roles: ["buyer", "seller"],
};
const admin: DemoAccountInput = {
  email: "admin@toko.local",
  name: "Toko Admin",
  password: "Wv55-demo-admin-pw",
  roles: ["buyer", "admin"],
};

before(async () => {
  db = await createTestDatabase({ migrationsDir });
  hasher = await createArgon2Hasher();
});
after(() => db.drop());

async function row(email: string) {
  const { rows } = await db.pool.query<{
    id: string;
    roles: string[];
    password_hash: string;
    updated_at: Date;
  }>("SELECT id, roles, password_hash, updated_at FROM users WHERE email = $1", [email]);
  return rows[0];
}

test("creates the accounts with the given passwords; a second run changes nothing", async () => {
  assert.deepEqual(await seedDemoAccounts(deps(), [buyer, seller, admin]), {
    "buyer@toko.local": "created",
    "seller@toko.local": "created",
    "admin@toko.local": "created",
  });
  const s = await row(seller.email);
  assert.equal(s?.id, seller.id);
  assert.deepEqual(s?.roles, ["buyer", "seller"]);
  assert.ok(await hasher.verify(s?.password_hash ?? "", seller.password));
  const before = await db.pool.query(
    "SELECT id, email, roles, password_hash, updated_at FROM users ORDER BY id",
  );
  assert.deepEqual(await seedDemoAccounts(deps(), [buyer, seller, admin]), {
    "buyer@toko.local": "kept",
    "seller@toko.local": "kept",
    "admin@toko.local": "kept",
  });
  const afterRows = await db.pool.query(
    "SELECT id, email, roles, password_hash, updated_at FROM users ORDER BY id",
  );
  assert.deepEqual(afterRows.rows, before.rows);
});

test("a changed password or a lost role is brought back to what the launcher printed", async () => {
  await db.pool.query("UPDATE users SET password_hash = $2, roles = ARRAY['buyer'] WHERE email = $1", [
    seller.email,
    await hasher.hash("someone-elses-choice-1"),
  ]);
  assert.equal((await seedDemoAccounts(deps(), [seller]))[seller.email], "updated");
  const s = await row(seller.email);
  assert.deepEqual(s?.roles, ["buyer", "seller"]);
  assert.ok(await hasher.verify(s?.password_hash ?? "", seller.password));
});

test("an email that belongs to another account is left alone, and nobody is promoted to admin", async () => {
  const squatter = uuidv7();
  const hash = await hasher.hash("squatters-own-pw-77");
  await db.pool.query(
    "INSERT INTO users (id, email, name, password_hash, roles) VALUES ($1, 'taken@toko.local', 'Someone', $2, ARRAY['buyer'])",
    [squatter, hash],
  );
  const users = await countRows(db.pool, "users");
  const outcomes = await seedDemoAccounts(deps(), [
    { ...buyer, id: "0190d000-0000-7000-8000-00000000b0ff", email: "taken@toko.local" },
    { ...admin, email: "taken@toko.local" },
  ]);
  assert.deepEqual(outcomes, { "taken@toko.local": "refused" });
  const taken = await row("taken@toko.local");
  assert.equal(taken?.id, squatter);
  assert.deepEqual(taken?.roles, ["buyer"]);
  assert.equal(taken?.password_hash, hash);
  assert.equal(await countRows(db.pool, "users"), users);
});

test("a password the policy refuses stops the seed before anything is written", async () => {
  const users = await countRows(db.pool, "users");
  await assert.rejects(
    seedDemoAccounts(deps(), [
      { ...buyer, id: uuidv7(), email: "new@toko.local" },
      { ...buyer, id: uuidv7(), email: "weak@toko.local", password: "password" },
    ]),
    /weak@toko\.local: is too common/,
  );
  assert.equal(await countRows(db.pool, "users"), users);
});
