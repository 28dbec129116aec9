// TOKO_POSTGRES_URL: the machine's PostgreSQL instead of the embedded one (databases created on it).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { fixtures, freeOffset, launch, tempDataDir } from "./helpers.ts";

const URL = "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASES = ["launcher_fixture_alpha", "launcher_fixture_beta"];
const data = tempDataDir();
let reachable = false;

async function admin<T>(fn: (c: pg.Client) => Promise<T>, database = "postgres"): Promise<T> {
  const client = new pg.Client({
    connectionString: URL.replace(/\/postgres$/, `/${database}`),
    connectionTimeoutMillis: 2_000,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const dropFixtures = () =>
  admin(async (c) => {
    for (const db of DATABASES) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });

before(async () => {
  try {
    await admin((c) => c.query("SELECT 1"));
    reachable = true;
  } catch (error) {
    if (process.env.CI === "true")
      throw new Error(`PostgreSQL at ${URL} is required in CI: ${(error as Error).message}`);
    console.log(
      `skipping TOKO_POSTGRES_URL tests: PostgreSQL at ${URL} is unreachable (${(error as Error).message})`,
    );
    return;
  }
  await dropFixtures();
});

after(async () => {
  if (reachable) await dropFixtures();
  data.remove();
});

test("npm run migrate and npm start use TOKO_POSTGRES_URL and start no embedded PostgreSQL", async (t) => {
  if (!reachable) return t.skip(`PostgreSQL at ${URL} is unreachable`);
  const env = { TOKO_POSTGRES_URL: URL };
  const migrate = launch("migrate", ["--root", fixtures("stack"), "--data-dir", data.dir], env);
  assert.equal((await migrate.exit).code, 0, migrate.output());
  assert.match(migrate.output(), /PostgreSQL ready at postgres:\/\/postgres@127\.0\.0\.1:5432\/postgres/);
  const tables = await admin(
    (c) =>
      c.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      ),
    "launcher_fixture_alpha",
  );
  assert.ok(tables.rows.some((r) => r.table_name === "alpha_items"));

  const offset = await freeOffset([41001, 41002, 41003, 41004, 41005]);
  const run = launch(
    "main",
    ["--root", fixtures("stack"), "--data-dir", data.dir, `--port-offset=${offset}`, "--backoff-ms", "20"],
    env,
  );
  try {
    await run.waitFor(/all 3 services healthy/);
    assert.match(run.output(), /alpha: database launcher_fixture_alpha is up to date/);
    const boots = await admin(
      (c) => c.query<{ n: number }>("SELECT count(*)::int AS n FROM boots"),
      "launcher_fixture_beta",
    );
    assert.equal(
      boots.rows[0]?.n,
      2,
      "beta ran against the external database (crashed once, then stayed up)",
    );
    assert.ok(!existsSync(join(data.dir, "postgres")), "no embedded PostgreSQL data directory");
  } finally {
    process.kill(-(run.child.pid ?? 0), "SIGINT");
  }
  assert.equal((await run.exit).code, 0);
  assert.match(run.output(), /stopped all services\n/);
});
