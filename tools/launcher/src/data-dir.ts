import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DEMO_ACCOUNTS_FILE } from "./demo-accounts.ts";
import { LauncherError } from "./manifest.ts";
import { INTERNAL_SECRET_FILE, KEY_ENCRYPTION_KEY_FILE } from "./secret.ts";

/** What the launcher keeps in its data directory; nothing else is ever deleted by `--reset`. */
export const DATA_ENTRIES = new Set([
  "postgres",
  "postgres.log",
  INTERNAL_SECRET_FILE,
  KEY_ENCRYPTION_KEY_FILE,
  "notification-key",
  DEMO_ACCOUNTS_FILE,
]);

/** `--reset`: removes the launcher's data, refusing when the directory holds anything else. */
export function resetDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  const foreign = readdirSync(dataDir).filter((e) => !DATA_ENTRIES.has(e));
  if (foreign.length > 0) {
    throw new LauncherError(
      `--reset refused: ${dataDir} holds files the launcher did not create (${foreign.slice(0, 5).join(", ")})`,
    );
  }
  for (const entry of DATA_ENTRIES) rmSync(join(dataDir, entry), { recursive: true, force: true });
}
