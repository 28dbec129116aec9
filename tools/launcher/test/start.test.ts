// `npm start` end to end: the real launcher against fixture services, embedded PostgreSQL on tmpfs.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort, makeTempDir } from "@toko/testing";
import pg from "pg";
import {
  alive,
  fixtures,
  freeOffset,
  type Launched,
  launch,
  linesAfter,
  processTable,
  tempDataDir,
} from "./helpers.ts";

const data = tempDataDir();
let pgPort = 0;
let offset = 0;
let run: Launched;
const port = (p: number) => p + offset;
const adminUrl = () => `postgres://postgres:toko@127.0.0.1:${pgPort}/postgres`;

async function query<T extends pg.QueryResultRow>(database: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl().replace(/\/postgres$/, `/${database}`) });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

before(async () => {
  pgPort = await freePort();
  offset = await freeOffset([41001, 41002, 41003, 41004, 41005]);
  run = launch(
    "main",
    ["--root", fixtures("stack"), "--data-dir", data.dir, `--port-offset=${offset}`, "--backoff-ms", "50"],
    {
      TOKO_PG_PORT: String(pgPort),
    },
  );
  await run.waitFor(/all 3 services healthy in \d+\.\d s/);
});

after(async () => {
  if (run.child.exitCode === null) {
    process.kill(run.child.pid ?? 0, "SIGTERM");
    await run.exit;
  }
  data.remove();
});

test("services start in dependency order, each once its dependencies are ready", () => {
  const out = run.output();
  const at = (s: string) => {
    const i = out.indexOf(s);
    assert.ok(i >= 0, `missing "${s}" in:\n${out}`);
    return i;
  };
  assert.ok(at("alpha: ready in") < at("beta: started"));
  assert.ok(at("beta: ready in") < at("edge: started"));
  assert.match(out, /^beta +\| \S+ INFO {2}dependency check dependency=alpha up=true$/m);
  assert.match(out, /^edge +\| \S+ INFO {2}dependency check dependency=beta up=true$/m);
});

test("every service answers /readyz and the URLs are printed", async () => {
  for (const p of [41002, 41004, 41005]) {
    const res = await fetch(`http://127.0.0.1:${port(p)}/readyz`);
    assert.equal(res.status, 200);
  }
  const out = run.output();
  assert.match(
    out,
    new RegExp(`edge +http://localhost:${port(41005)} +docs http://localhost:${port(41005)}/docs`),
  );
  assert.match(
    out,
    new RegExp(`alpha +gRPC 127\\.0\\.0\\.1:${port(41001)} +ops http://127\\.0\\.0\\.1:${port(41002)}`),
  );
  assert.match(out, new RegExp(`postgres +postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${pgPort}/postgres`));
  assert.doesNotMatch(out, /:toko@/, "the PostgreSQL password is never printed");
});

test("databases are created and migrated, and the seed ran before its service", async () => {
  const out = run.output();
  assert.match(out, /alpha: applied 0001_items\.sql to database launcher_fixture_alpha/);
  assert.ok(out.indexOf("alpha:seed | ") < out.indexOf("alpha: started"));
  const dbs = await query<{ datname: string }>("postgres", "SELECT datname FROM pg_database");
  const names = dbs.map((d) => d.datname);
  for (const n of ["bus", "launcher_fixture_alpha", "launcher_fixture_beta"]) assert.ok(names.includes(n), n);
  assert.deepEqual(await query("launcher_fixture_alpha", "SELECT name FROM alpha_items"), [{ name: "demo" }]);
});

test("a crashed service is restarted with backoff and then stays up", async () => {
  const out = run.output();
  assert.match(
    out,
    /beta: exited unexpectedly \(exit code 1\) after \d+\.\d s; restarting in 50 ms \(restart 1\)/,
  );
  assert.match(out, /^beta +\| \S+ INFO {2}database ok table=beta_notes rows=0 boot=2$/m);
  const boots = await query<{ n: number }>("launcher_fixture_beta", "SELECT count(*)::int AS n FROM boots");
  assert.deepEqual(boots, [{ n: 2 }]);
});

test("JSON log lines are rendered readably behind a prefix; other lines pass through", () => {
  const out = run.output();
  assert.match(out, /^alpha +\| \d\d:\d\d:\d\d\.\d{3} INFO {2}database ok table=alpha_items rows=1 boot=1$/m);
  assert.match(out, /^beta +\| \d\d:\d\d:\d\d\.\d{3} ERROR crashing on purpose err="first boot crash"$/m);
  assert.match(out, /^beta +\| {5}at boot \(fixture\.ts:1:1\)$/m);
  assert.match(out, /^alpha +\| plain text line from alpha$/m);
  assert.match(out, /^alpha:seed \| \S+ INFO {2}seeded inserted=1$/m);
  assert.ok(!out.includes("\x1b["), "no colour when stdout is not a terminal");
  assert.ok(!out.includes('"level"'), "no raw JSON reaches the screen");
});

test("the internal secret is generated once, private, and given to every service", () => {
  const file = join(data.dir, "internal-secret");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(readFileSync(file, "utf8"), /^[0-9a-f]{64}\n$/);
  assert.equal(run.output().match(/has_secret=true/g)?.length, 4, "alpha, beta twice, edge");
});

test("SIGINT to the process group stops services in reverse order, PostgreSQL last, leaving no process", async () => {
  const servicePids = [...run.output().matchAll(/started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
  const postmaster = Number(
    readFileSync(join(data.dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0],
  );
  const launcherPids = processTable()
    .filter((p) => p.ppid === run.child.pid)
    .map((p) => p.pid);
  assert.equal(launcherPids.length, 1, "main.ts runs the launcher as one child process");
  const pgChildren = processTable()
    .filter((p) => p.ppid === postmaster)
    .map((p) => p.pid);
  assert.ok(pgChildren.length > 0);

  process.kill(-(run.child.pid ?? 0), "SIGINT");
  const { code } = await run.exit;
  assert.equal(code, 0);

  const out = linesAfter(run.output(), /launcher +\| stopping/);
  const order = [
    "edge: stopped",
    "beta: stopped",
    "alpha: stopped",
    "stopped all services and PostgreSQL",
  ].map((s) => out.indexOf(s));
  assert.ok(
    order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? 0))),
    out,
  );
  assert.doesNotMatch(out, /restarting/);
  assert.deepEqual(alive([...servicePids, postmaster, ...pgChildren, ...launcherPids]), []);
  assert.deepEqual(
    processTable().filter((p) => p.args.includes(data.dir)),
    [],
  );
  assert.ok(!existsSync(join(data.dir, "postgres", "postmaster.pid")), "PostgreSQL shut down cleanly");
});

test("--reset wipes the data; with no services PostgreSQL still starts and stays up until stopped", async () => {
  const oldSecret = readFileSync(join(data.dir, "internal-secret"), "utf8");
  const empty = makeTempDir("launcher-empty", { memory: true });
  const second = launch("main", ["--root", empty, "--data-dir", data.dir, "--reset"], {
    TOKO_PG_PORT: String(pgPort),
  });
  await second.waitFor(/press Ctrl-C to stop/);
  assert.match(second.output(), /--reset: wiped /);
  assert.match(
    second.output(),
    /PostgreSQL \(embedded\) ready at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres/,
  );
  assert.match(second.output(), /no services in .* yet; PostgreSQL is up/);
  const dbs = (await query<{ datname: string }>("postgres", "SELECT datname FROM pg_database")).map(
    (d) => d.datname,
  );
  assert.ok(!dbs.includes("launcher_fixture_alpha"), "the old databases are gone");
  assert.ok(dbs.includes("bus"));
  assert.notEqual(readFileSync(join(data.dir, "internal-secret"), "utf8"), oldSecret);
  process.kill(second.child.pid ?? 0, "SIGTERM");
  assert.equal((await second.exit).code, 0);
  assert.deepEqual(
    processTable().filter((p) => p.args.includes(data.dir)),
    [],
  );
});
