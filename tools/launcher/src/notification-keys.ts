import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSealingKeys, type SealingKeyPair, sealingPublicKey } from "@toko/kit";
import { LauncherError } from "./manifest.ts";

/**
 * The notification service's development key pair: reset and verification tokens are sealed to
 * its public half (given to every service as TOKO_NOTIFICATION_PUBLIC_KEY); the private half
 * (TOKO_NOTIFICATION_PRIVATE_KEY) goes to the notification service only. Generated once into
 * `<dataDir>/notification-key` (mode 0600) and reused, so tokens sealed before a restart still open.
 */
export function ensureNotificationKeys(dataDir: string): SealingKeyPair {
  const file = join(dataDir, "notification-key");
  if (existsSync(file)) {
    const privateKey = readFileSync(file, "utf8").trim();
    try {
      return { privateKey, publicKey: sealingPublicKey(privateKey) };
    } catch {
      throw new LauncherError(
        `${file} is not an X25519 private key; delete it (or use --reset) to generate one`,
      );
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const keys = generateSealingKeys();
  // "wx": never overwrite a key another launcher just wrote.
  writeFileSync(file, `${keys.privateKey}\n`, { mode: 0o600, flag: "wx" });
  return keys;
}
