import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LauncherError } from "./manifest.ts";

/**
 * The HMAC key services use to trust principal metadata: generated once into
 * `<dataDir>/internal-secret` (mode 0600) and reused, so restarts keep working together.
 */
export function ensureInternalSecret(dataDir: string): string {
  const file = join(dataDir, "internal-secret");
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
  const secret = randomBytes(32).toString("hex");
  // "wx": never overwrite a secret another launcher just wrote.
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}
