import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { leftTempDirs, TEST_TMPFS_ENV, tempRoot } from "@toko/testing";

/** The run's scratch folders; `finish()` lists the `toko-*` entries left in them, then removes them. */
export interface Scratch {
  finish(): string[];
}

/**
 * Points this process and the test processes at fresh per-run folders: TMPDIR for disk and
 * TOKO_TEST_TMPFS for tmpfs. tsx's compile cache lives in the temp dir too; a link to the
 * usual one keeps it warm across runs.
 */
export function startScratch(): Scratch {
  const disk = mkdtempSync(join(tmpdir(), "toko-run-"));
  const memory = mkdtempSync(join(tempRoot(true), "toko-run-"));
  // Like /tmp itself: PostgreSQL, run as its own user when tests run as root, reads files here.
  for (const dir of [disk, memory]) chmodSync(dir, 0o1777);
  const uid = process.getuid?.() ?? "";
  const tsxCache = join(tmpdir(), `tsx-${uid}`);
  mkdirSync(tsxCache, { recursive: true });
  symlinkSync(tsxCache, join(disk, `tsx-${uid}`));
  process.env.TMPDIR = disk;
  process.env[TEST_TMPFS_ENV] = memory;
  const dirs = [disk, memory];
  // rm of the run folder removes the cache link, never the cache it points to.
  const remove = () => {
    for (const dir of dirs) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  };
  // Also when the runner itself fails (PostgreSQL did not start, Ctrl-C).
  process.once("exit", remove);
  return {
    finish() {
      const left = leftTempDirs(dirs);
      remove();
      return left;
    },
  };
}
