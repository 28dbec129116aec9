import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { processAlive } from "@toko/kit";

/**
 * Runs `fn` holding an exclusive lock file (it holds the owner's pid), so two builds of one tree
 * (two `npm start`s, a test beside a developer's build) never rewrite the same dist/ at once.
 * A lock left by a process that died is taken over; a live owner is waited for.
 */
export async function withFileLock<T>(
  file: string,
  fn: () => T | Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(file, "utf8"));
    } catch {
      continue; // released between our attempt and the read
    }
    // An empty file is a lock being written this instant; only a named dead owner is stale.
    if (owner > 0 && !processAlive(owner)) {
      try {
        unlinkSync(file);
      } catch {
        // another waiter took it over first
      }
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${file} is held by process ${owner}; gave up waiting`);
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await fn();
  } finally {
    unlinkSync(file);
  }
}
