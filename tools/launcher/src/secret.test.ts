import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { serviceEnv } from "./environment.ts";
import type { ServiceSpec } from "./manifest.ts";
import { ensureInternalSecret, ensureKeyEncryptionKey } from "./secret.ts";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "toko-launcher-secrets-"));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test("a new data directory gets a key-encryption key of its own, kept across restarts", () => {
  const dir = dataDir();
  const kek = ensureKeyEncryptionKey(dir);
  const internal = ensureInternalSecret(dir);
  assert.match(kek, /^[0-9a-f]{64}$/);
  assert.notEqual(kek, internal);
  assert.equal(statSync(join(dir, "oauth2-key-encryption-key")).mode & 0o777, 0o600);
  // A restart reads the same keys back, so oauth2's sealed signing keys keep opening.
  assert.equal(ensureKeyEncryptionKey(dir), kek);
  assert.equal(ensureInternalSecret(dir), internal);
});

test("a data directory from before the key existed keeps its sealed keys readable", () => {
  // There oauth2 sealed its keys under the internal secret: the key starts as a copy of it.
  const dir = dataDir();
  mkdirSync(join(dir, "postgres"));
  const internal = ensureInternalSecret(dir);
  assert.equal(ensureKeyEncryptionKey(dir), internal);
  assert.equal(readFileSync(join(dir, "oauth2-key-encryption-key"), "utf8").trim(), internal);
});

test("every process runs in development mode; only oauth2 gets the key-encryption key", () => {
  const spec = (name: string): ServiceSpec => ({ name, dir: `/x/${name}`, kind: "service", dependsOn: [] });
  const all = [spec("user"), spec("oauth2")];
  const ctx = {
    adminUrl: "postgres://postgres:pw@127.0.0.1:5432/postgres",
    internalSecret: "a".repeat(64),
    keyEncryptionKey: "b".repeat(64),
    notificationKeys: { publicKey: "p", privateKey: "q" },
    publicOrigin: "http://localhost:8080",
    baseEnv: {},
  };
  const oauth2 = serviceEnv(spec("oauth2"), all, ctx);
  const user = serviceEnv(spec("user"), all, ctx);
  assert.equal(oauth2.OAUTH2_KEY_ENCRYPTION_KEY, "b".repeat(64));
  assert.equal(user.OAUTH2_KEY_ENCRYPTION_KEY, undefined);
  assert.equal(oauth2.TOKO_ENV, "development");
  assert.equal(user.TOKO_ENV, "development");
});
