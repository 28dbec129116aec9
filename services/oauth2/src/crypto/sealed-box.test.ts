import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deriveKey, SealedBox } from "./sealed-box.ts";

describe("SealedBox", () => {
  const box = SealedBox.fromKey(deriveKey("a root secret of at least thirty-two chars", "signing-keys"));

  it("round-trips and never stores the plaintext", () => {
    const sealed = box.seal(Buffer.from("private jwk"), "kid-1");
    assert.ok(!sealed.includes(Buffer.from("private jwk")));
    assert.equal(box.open(sealed, "kid-1").toString(), "private jwk");
  });

  it("refuses another row's associated data, a tampered byte or another key", () => {
    const sealed = box.seal(Buffer.from("secret"), "kid-1");
    assert.throws(() => box.open(sealed, "kid-2"));
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    assert.throws(() => box.open(tampered, "kid-1"));
    const other = SealedBox.fromKey(deriveKey("another root secret of thirty-two chars", "signing-keys"));
    assert.throws(() => other.open(sealed, "kid-1"));
  });

  it("derives different keys per purpose", () => {
    assert.notDeepEqual(deriveKey("root", "cookies"), deriveKey("root", "signing-keys"));
    assert.deepEqual(deriveKey("root", "cookies"), deriveKey("root", "cookies"));
  });
});
