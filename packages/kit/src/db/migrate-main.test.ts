import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import { ConfigError } from "../config/config.ts";
import { kitMigrations } from "../events/migrations.ts";
import { runMigrationJob } from "./migration-job.ts";

const root = resolve(import.meta.dirname, "..", "..", "..", "..");

/** Runs the migration Job's command as the cluster does: repository root, env only. */
function runJob(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "migrate-main.ts")], {
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

const quiet = { LOG_LEVEL: "silent" };

describe("the migration Job", () => {
  it("applies the kit's tables and the service's migrations, then finds nothing left to do", async () => {
    await runMigrationJob({ ...quiet, SERVICE: "services/shortener", DATABASE_URL: db.url });
    const own = readdirSync(join(root, "services", "shortener", "migrations"));
    const { rows } = await db.pool.query<{ name: string }>("SELECT name FROM toko_migrations");
    const applied = new Set(rows.map((r) => r.name));
    for (const m of [...kitMigrations.map((k) => k.name), ...own]) assert.ok(applied.has(m), m);
    assert.deepEqual(
      await runMigrationJob({ ...quiet, SERVICE: "services/shortener", DATABASE_URL: db.url }),
      [],
    );
  });

  it("refuses a SERVICE outside services/ and a missing DATABASE_URL", async () => {
    await assert.rejects(runMigrationJob({ ...quiet, SERVICE: "../etc", DATABASE_URL: db.url }), (error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /SERVICE: must be services\/<name>/);
      return true;
    });
    await assert.rejects(
      runMigrationJob({ ...quiet, SERVICE: "services/shortener" }),
      /DATABASE_URL: is required/,
    );
  });

  it("is the command the Job's container runs: exit 0 when up to date, 1 naming the fault", async () => {
    const ok = await runJob({ SERVICE: "services/shortener", DATABASE_URL: db.url });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /"msg":"up to date"/);
    const bad = await runJob({ SERVICE: "services/shortener" });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^migrate: .*DATABASE_URL: is required/);
  });
});
