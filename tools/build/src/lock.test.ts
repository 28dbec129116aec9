import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { withFileLock } from "./lock.ts";

const dir = mkdtempSync(join(tmpdir(), "toko-build-lock-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("one holder at a time: a second waits until the first releases, and the lock is gone after", async () => {
  const file = join(dir, "a.lock");
  const order: string[] = [];
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  const first = withFileLock(file, async () => {
    order.push("first in");
    await held;
    order.push("first out");
  });
  await new Promise((r) => setTimeout(r, 50));
  const second = withFileLock(file, () => order.push("second in"));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(order, ["first in"], "the second waits");
  release();
  await Promise.all([first, second]);
  assert.deepEqual(order, ["first in", "first out", "second in"]);
  assert.equal(existsSync(file), false);
});

test("a lock left by a process that died is taken over", async () => {
  const file = join(dir, "b.lock");
  const dead = spawnSync(process.execPath, [
    "-e",
    "process.stdout.write(String(process.pid))",
  ]).stdout.toString();
  writeFileSync(file, dead);
  assert.equal(await withFileLock(file, () => "ran", 5_000), "ran");
});

test("a live holder that never lets go is named when waiting gives up", async () => {
  const file = join(dir, "c.lock");
  writeFileSync(file, String(process.ppid));
  await assert.rejects(
    withFileLock(file, () => "ran", 300),
    new RegExp(`held by process ${process.ppid}`),
  );
});
