import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LauncherError } from "./manifest.ts";

/** The file under the data directory holding the internal secret. */
export const INTERNAL_SECRET_FILE = "internal-secret";
/** The file under the data directory holding oauth2's key-encryption key. */
export const KEY_ENCRYPTION_KEY_FILE = "oauth2-key-encryption-key";

/**
 * A 64-hex-digit secret generated once into `<dataDir>/<name>` (mode 0600) and reused, so
 * restarts keep working together. `initial` supplies the value written when the file is new.
 */
function ensureSecretFile(dataDir: string, name: string, initial: () => string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const secret = readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(secret)) {
      throw new LauncherError(
        `${file} is not a 64-hex-digit secret; delete it (or use --reset) to generate one`,
      );
    }
    return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = initial();
  // "wx": never overwrite a secret another launcher just wrote.
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

const random = () => randomBytes(32).toString("hex");

/** The HMAC key services use to trust principal metadata (`<dataDir>/internal-secret`). */
export function ensureInternalSecret(dataDir: string): string {
  return ensureSecretFile(dataDir, INTERNAL_SECRET_FILE, random);
}

/**
 * oauth2's key-encryption key (`<dataDir>/oauth2-key-encryption-key`), its own secret. A data
 * directory from before it existed sealed oauth2's keys under the internal secret, so there
 * the file starts as a copy of it and those keys stay readable; a new directory gets a fresh key.
 */
export function ensureKeyEncryptionKey(dataDir: string): string {
  const existingInstall =
    existsSync(join(dataDir, "postgres")) && existsSync(join(dataDir, INTERNAL_SECRET_FILE));
  return ensureSecretFile(dataDir, KEY_ENCRYPTION_KEY_FILE, () =>
    existingInstall ? ensureInternalSecret(dataDir) : random(),
  );
}
