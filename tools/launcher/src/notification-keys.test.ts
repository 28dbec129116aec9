import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openSealedSecret, sealSecret } from "@toko/kit";
import { ensureNotificationKeys } from "./notification-keys.ts";

test("the notification key pair is generated once (0600) and reused across runs", () => {
  const dir = mkdtempSync(join(tmpdir(), "toko-launcher-keys-"));
  try {
    const first = ensureNotificationKeys(dir);
    assert.equal(statSync(join(dir, "notification-key")).mode & 0o777, 0o600);
    const again = ensureNotificationKeys(dir);
    assert.deepEqual(again, first);
    const sealed = sealSecret(first.publicKey, "token", "reset_password:u1");
    assert.equal(openSealedSecret(again.privateKey, sealed, "reset_password:u1"), "token");
    writeFileSync(join(dir, "notification-key"), "garbage\n");
    assert.throws(() => ensureNotificationKeys(dir), /not an X25519 private key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
