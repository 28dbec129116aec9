import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import { kitMigrations } from "../events/migrations.ts";

const root = resolve(import.meta.dirname, "..", "..", "..", "..");
const main = join(import.meta.dirname, "migrate-main.ts");

/** Runs the migration Job's command as the cluster does: same working directory, env only. */
function runJob(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", main], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", LOG_FORMAT: "json", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.drop();
});

describe("the migration Job's command", () => {
  it("applies the kit's tables and the service's migrations, then finds nothing left to do", async () => {
    const first = await runJob({ SERVICE: "services/shortener", DATABASE_URL: db.url });
    assert.equal(first.code, 0, first.stderr);
    const own = readdirSync(join(root, "services", "shortener", "migrations"));
    const { rows } = await db.pool.query<{ name: string }>("SELECT name FROM toko_migrations");
    const applied = new Set(rows.map((r) => r.name));
    for (const m of [...kitMigrations.map((k) => k.name), ...own]) assert.ok(applied.has(m), m);
    const second = await runJob({ SERVICE: "services/shortener", DATABASE_URL: db.url });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /"msg":"up to date"/);
  });

  it("exits 1 naming the variable that is wrong", async () => {
    const bad = await runJob({ SERVICE: "../etc", DATABASE_URL: db.url });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /SERVICE: must be services\/<name>/);
    const missing = await runJob({ SERVICE: "services/shortener" });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /DATABASE_URL: is required/);
  });
});
