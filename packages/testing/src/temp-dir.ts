import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Set by the test runner to its per-run folder in memory (tmpfs), like TMPDIR for the disk one. */
export const TEST_TMPFS_ENV = "TOKO_TEST_TMPFS";

/** Prefix of every folder tests make; what the runner looks for after a run. */
export const TEMP_PREFIX = "toko-";

const made = new Set<string>();

function removeAll(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

/** Where scratch folders go: tmpfs (`/dev/shm` on Linux) for `memory`, else the OS temp dir. */
export function tempRoot(memory = false): string {
  if (!memory) return tmpdir();
  const given = process.env[TEST_TMPFS_ENV];
  if (given) return given;
  return process.platform === "linux" && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

/**
 * A fresh folder `toko-<name>-XXXXXX` for a test, removed when the process exits — after a
 * failed assertion too — or earlier with `removeTempDir`. `memory` puts it on tmpfs (databases).
 */
export function makeTempDir(name: string, options: { memory?: boolean } = {}): string {
  if (made.size === 0) process.once("exit", removeAll);
  const dir = mkdtempSync(join(tempRoot(options.memory), `${TEMP_PREFIX}${name}-`));
  made.add(dir);
  return dir;
}

/** Removes a folder made by `makeTempDir` now. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}

/** The `toko-*` entries in `dirs`: what a run left behind. */
export function leftTempDirs(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.startsWith(TEMP_PREFIX))
          .map((name) => join(dir, name))
      : [],
  );
}
