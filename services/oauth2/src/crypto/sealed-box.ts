import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM encryption for secrets at rest (signing keys, client secrets). */
export class SealedBox {
  private constructor(private readonly key: Buffer) {}

  /** A box keyed from 32 raw bytes. */
  static fromKey(key: Buffer): SealedBox {
    if (key.length !== 32) throw new Error("a sealed box key must be 32 bytes");
    return new SealedBox(key);
  }

  /** Encrypts `plaintext`; `aad` (e.g. the row's id) must be given again to open it. */
  seal(plaintext: Buffer, aad: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Decrypts what `seal` produced; throws when the key, the aad or the bytes differ. */
  open(sealed: Buffer, aad: string): Buffer {
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error("sealed value is truncated");
    const decipher = createDecipheriv("aes-256-gcm", this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}

/**
 * Independent 32-byte keys for each purpose ("signing-keys", "cookies", ...) from one root
 * secret, so leaking a cookie key reveals nothing about the key that seals signing keys.
 */
export function deriveKey(rootSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", rootSecret, "toko-oauth2", `toko-oauth2:${purpose}`, 32));
}
