import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { leftTempDirs, makeTempDir, removeTempDir } from "./temp-dir.ts";

const root = mkdtempSync(join(tmpdir(), "temp-dir-test-"));
after(() => rmSync(root, { recursive: true, force: true }));

test("a process's temp folders are gone when it exits, even after a failure", () => {
  const script = `
    import { makeTempDir } from ${JSON.stringify(join(import.meta.dirname, "temp-dir.ts"))};
    console.log(makeTempDir("disk"));
    console.log(makeTempDir("memory", { memory: true }));
    throw new Error("a failing test");`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { ...process.env, TMPDIR: root, TOKO_TEST_TMPFS: root },
    encoding: "utf8",
  });
  assert.notEqual(child.status, 0);
  const made = child.stdout.trim().split("\n");
  assert.equal(made.length, 2, child.stderr);
  for (const dir of made) {
    assert.ok(dir.startsWith(join(root, "toko-")), dir);
    assert.equal(existsSync(dir), false, `${dir} was left behind`);
  }
  assert.deepEqual(leftTempDirs([root]), []);
});

test("leftTempDirs names what is left; removeTempDir removes it at once", () => {
  const dir = makeTempDir("left");
  assert.ok(leftTempDirs([tmpdir()]).includes(dir));
  removeTempDir(dir);
  assert.equal(existsSync(dir), false);
  assert.equal(leftTempDirs([tmpdir()]).includes(dir), false);
});
