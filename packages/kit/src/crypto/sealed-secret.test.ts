import assert from "node:assert/strict";
import { test } from "node:test";
import {
  generateSealingKeys,
  openSealedSecret,
  sealingKeyId,
  sealingPublicKey,
  sealSecret,
} from "./sealed-secret.ts";

const TOKEN = "q3YpS8vJ4dN2bGx1mZ0aR7tLwE5cH9kU6iO4pQ2sV1y";

test("a sealed secret opens with the private key under the same context, and holds no plaintext", () => {
  const keys = generateSealingKeys();
  const sealed = sealSecret(keys.publicKey, TOKEN, "reset_password:user-1");
  assert.equal(sealed.keyId, sealingKeyId(keys.publicKey));
  assert.equal(sealingPublicKey(keys.privateKey), keys.publicKey);
  assert.equal(
    Buffer.concat([sealed.ephemeralPublicKey, sealed.nonce, sealed.ciphertext]).includes(TOKEN),
    false,
  );
  assert.equal(openSealedSecret(keys.privateKey, sealed, "reset_password:user-1"), TOKEN);
  // Sealing again gives different bytes (fresh ephemeral key and nonce).
  const again = sealSecret(keys.publicKey, TOKEN, "reset_password:user-1");
  assert.notDeepEqual(again.ciphertext, sealed.ciphertext);
});

test("another key, another context or a flipped byte does not open it", () => {
  const keys = generateSealingKeys();
  const other = generateSealingKeys();
  const sealed = sealSecret(keys.publicKey, TOKEN, "verify_email:user-1");
  assert.throws(() => openSealedSecret(other.privateKey, sealed, "verify_email:user-1"), /not this one/);
  assert.throws(() => openSealedSecret(keys.privateKey, sealed, "verify_email:user-2"));
  assert.throws(() => openSealedSecret(keys.privateKey, sealed, "reset_password:user-1"));
  const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext) };
  tampered.ciphertext[0] = (tampered.ciphertext[0] ?? 0) ^ 1;
  assert.throws(() => openSealedSecret(keys.privateKey, tampered, "verify_email:user-1"));
});

test("malformed keys are refused", () => {
  assert.throws(() => sealingKeyId("not-a-key"), /32 bytes/);
  assert.throws(() => sealSecret("AAAA", TOKEN, "x"), /32 bytes/);
});
