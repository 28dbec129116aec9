import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";

/**
 * A secret only the holder of one X25519 private key can read: what a service puts in an event
 * when the event log must not hold the secret itself (reset and verification tokens, sealed to
 * the notification service).
 */
export interface SealedSecret {
  /** Hex of the first 8 bytes of SHA-256 over the recipient's raw public key (key rotation). */
  keyId: string;
  /** Raw 32-byte ephemeral X25519 public key. */
  ephemeralPublicKey: Buffer;
  /** 12-byte AES-GCM nonce. */
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  ciphertext: Buffer;
}

/** An X25519 key pair as configuration strings (base64url of the raw 32-byte keys). */
export interface SealingKeyPair {
  publicKey: string;
  privateKey: string;
}

// DER prefixes of X25519 keys (RFC 8410): SubjectPublicKeyInfo and PKCS #8, each followed by the raw key.
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const INFO = Buffer.from("toko sealed secret v1");

function raw(value: string, what: string): Buffer {
  const bytes = Buffer.from(value.trim(), "base64url");
  if (bytes.length !== 32) throw new Error(`${what} must be 32 bytes as base64url`);
  return bytes;
}

const publicKeyObject = (rawKey: Buffer): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, rawKey]), format: "der", type: "spki" });

const privateKeyObject = (privateKey: string): KeyObject =>
  createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, raw(privateKey, "the private key")]),
    format: "der",
    type: "pkcs8",
  });

const rawPublicKey = (key: KeyObject): Buffer => key.export({ format: "der", type: "spki" }).subarray(-32);

/** The key id of a raw public key. */
const keyIdOf = (rawKey: Buffer): string => createHash("sha256").update(rawKey).digest("hex").slice(0, 16);

function aesKey(shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.concat([ephemeral, recipient]), INFO, 32));
}

/** A fresh key pair (the launcher's development keys; production keys come from a secret store). */
export function generateSealingKeys(): SealingKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  return {
    publicKey: rawPublicKey(publicKey).toString("base64url"),
    privateKey: privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32).toString("base64url"),
  };
}

/** The public half of a private key (both base64url of the raw 32 bytes). Throws when malformed. */
export function sealingPublicKey(privateKey: string): string {
  return rawPublicKey(createPublicKey(privateKeyObject(privateKey))).toString("base64url");
}

/** Checks a configured public key (base64url, 32 bytes); returns its key id. Throws when malformed. */
export function sealingKeyId(publicKey: string): string {
  const rawKey = raw(publicKey, "the public key");
  publicKeyObject(rawKey);
  return keyIdOf(rawKey);
}

/**
 * Seals `secret` to the recipient's public key. `context` (e.g. "reset_password:<user id>") is
 * authenticated, not encrypted: the sealed secret opens only under the same context, so it
 * cannot be moved to another user's event.
 */
export function sealSecret(recipientPublicKey: string, secret: string, context: string): SealedSecret {
  const recipient = raw(recipientPublicKey, "the public key");
  const ephemeral = generateKeyPairSync("x25519");
  const ephemeralRaw = rawPublicKey(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyObject(recipient) });
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", aesKey(shared, ephemeralRaw, recipient), nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return { keyId: keyIdOf(recipient), ephemeralPublicKey: ephemeralRaw, nonce, ciphertext };
}

/**
 * Opens a sealed secret with the recipient's private key (base64url, 32 bytes) under the same
 * `context` it was sealed with. Throws when the key, the context or any byte does not match.
 * This is what the notification service calls on `sealed_token` before emailing a link.
 */
export function openSealedSecret(privateKey: string, sealed: SealedSecret, context: string): string {
  const key = privateKeyObject(privateKey);
  const recipient = rawPublicKey(createPublicKey(key));
  if (sealed.keyId !== keyIdOf(recipient)) throw new Error(`sealed for key ${sealed.keyId}, not this one`);
  if (
    sealed.ephemeralPublicKey.length !== 32 ||
    sealed.nonce.length !== 12 ||
    sealed.ciphertext.length < 16
  ) {
    throw new Error("malformed sealed secret");
  }
  const shared = diffieHellman({ privateKey: key, publicKey: publicKeyObject(sealed.ephemeralPublicKey) });
  const decipher = createDecipheriv(
    "aes-256-gcm",
    aesKey(shared, sealed.ephemeralPublicKey, recipient),
    sealed.nonce,
  );
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(sealed.ciphertext.subarray(-16));
  return Buffer.concat([decipher.update(sealed.ciphertext.subarray(0, -16)), decipher.final()]).toString(
    "utf8",
  );
}
