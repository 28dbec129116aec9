import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { resetDataDir } from "./data-dir.ts";
import { demoAccountLines, demoEnabled, demoSeedEnv, ensureDemoAccounts } from "./demo-accounts.ts";
import { launcherMode, type RunContext, serviceEnv } from "./environment.ts";
import type { ServiceSpec } from "./manifest.ts";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "toko-launcher-demo-"));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const spec = (name: string): ServiceSpec => ({
  name,
  kind: "service",
  dir: `/x/${name}`,
  grpcPort: 1,
  opsPort: 2,
  dependsOn: [],
  database: name,
});

test("demo passwords are generated once per data directory, kept 0600, and differ between directories", () => {
  const dir = dataDir();
  const first = ensureDemoAccounts(dir, {});
  const file = join(dir, "demo-accounts.json");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  for (const p of [first.buyer.password, first.seller.password, first.admin.password]) {
    assert.match(p, /^[A-Za-z0-9_-]{16}$/);
  }
  assert.equal(new Set([first.buyer.password, first.seller.password, first.admin.password]).size, 3);
  // A restart reads the same passwords back and does not rewrite the file.
  const before = statSync(file).mtimeMs;
  assert.deepEqual(ensureDemoAccounts(dir, {}), first);
  assert.equal(statSync(file).mtimeMs, before);
  // Another data directory: other passwords (nothing derived, nothing well known).
  const other = ensureDemoAccounts(dataDir(), {});
  assert.notEqual(other.buyer.password, first.buyer.password);
  assert.equal(other.seller.id, first.seller.id);
});

test("an operator's TOKO_ADMIN_EMAIL and TOKO_ADMIN_PASSWORD win and the password is not printed", () => {
  const demo = ensureDemoAccounts(dataDir(), {
    TOKO_ADMIN_EMAIL: "ops@example.com",
    TOKO_ADMIN_PASSWORD: "s3cret-admin-pw",
  });
  assert.equal(demo.admin.email, "ops@example.com");
  assert.equal(demo.admin.password, "s3cret-admin-pw");
  const lines = demoAccountLines(demo, ".data").join("\n");
  assert.doesNotMatch(lines, /s3cret-admin-pw/);
  assert.match(lines, /admin\s+ops@example\.com\s+\(TOKO_ADMIN_PASSWORD\)/);
  assert.match(lines, new RegExp(`buyer\\s+buyer@toko\\.local\\s+${demo.buyer.password}`));
});

test("--reset removes the demo passwords with the data, and the next start makes new ones", () => {
  const dir = dataDir();
  const before = ensureDemoAccounts(dir, {});
  resetDataDir(dir);
  assert.equal(existsSync(join(dir, "demo-accounts.json")), false);
  assert.notEqual(ensureDemoAccounts(dir, {}).buyer.password, before.buyer.password);
});

test("a damaged file is replaced rather than printing passwords nobody set", () => {
  const dir = dataDir();
  const file = join(dir, "demo-accounts.json");
  ensureDemoAccounts(dir, {});
  writeFileSync(file, "{ not json", { mode: 0o600 });
  const fresh = ensureDemoAccounts(dir, {});
  assert.equal(JSON.parse(readFileSync(file, "utf8")).buyer, fresh.buyer.password);
});

test("only development runs with a user service seed the demo; each seed learns only what it needs", () => {
  const specs = [spec("user"), spec("product"), spec("inventory"), spec("cart")];
  assert.equal(demoEnabled("development", specs), true);
  assert.equal(demoEnabled("production", specs), false);
  assert.equal(demoEnabled("development", [spec("product")]), false);
  assert.equal(launcherMode({}), "development");
  assert.equal(launcherMode({ TOKO_ENV: "production" }), "production");
  assert.equal(launcherMode({ TOKO_ENV: "staging" }), "development");

  const demo = ensureDemoAccounts(dataDir(), {});
  const user = demoSeedEnv(spec("user"), demo);
  const accounts = JSON.parse(user.TOKO_DEMO_ACCOUNTS ?? "[]") as { email: string; roles: string[] }[];
  assert.deepEqual(
    accounts.map((a) => [a.email, a.roles]),
    [
      ["buyer@toko.local", ["buyer"]],
      ["seller@toko.local", ["buyer", "seller"]],
      ["admin@toko.local", ["buyer", "admin"]],
    ],
  );
  assert.deepEqual(demoSeedEnv(spec("product"), demo), { TOKO_DEMO_SELLER_ID: demo.seller.id });
  assert.deepEqual(demoSeedEnv(spec("inventory"), demo), { TOKO_DEMO_SELLER_ID: demo.seller.id });
  assert.deepEqual(demoSeedEnv(spec("cart"), demo), {});

  // The services themselves see the mode, never a password.
  const ctx: RunContext = {
    adminUrl: "postgres://postgres@127.0.0.1:5433/postgres",
    internalSecret: "x".repeat(64),
    keyEncryptionKey: "y".repeat(64),
    notificationKeys: { publicKey: "p", privateKey: "q" },
    publicOrigin: "http://localhost:8080",
    baseEnv: { TOKO_ENV: "production" },
  };
  const env = serviceEnv(spec("user"), specs, ctx);
  assert.equal(env.TOKO_ENV, "production");
  assert.equal(env.TOKO_DEMO_ACCOUNTS, undefined);
  assert.equal(serviceEnv(spec("user"), specs, { ...ctx, baseEnv: {} }).TOKO_ENV, "development");
});
