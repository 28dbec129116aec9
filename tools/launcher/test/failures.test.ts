// What goes wrong before or during start-up is one clear line, and nothing is left running.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, test } from "node:test";
import { freePort } from "@toko/testing";
import { fixtures, freeOffset, launch, processTable, tempDataDir } from "./helpers.ts";

const data = tempDataDir();
after(() => data.remove());

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

const errorLines = (out: string) => out.split("\n").filter((l) => l.trim() !== "");

test("a service port already in use is one line, before anything starts", async () => {
  const offset = await freeOffset([41001, 41002, 41003, 41004, 41005]);
  const blocker = await occupy(41004 + offset);
  try {
    const dir = join(data.dir, "ports");
    const run = launch("main", ["--root", fixtures("stack"), "--data-dir", dir, `--port-offset=${offset}`], {
      TOKO_PG_PORT: String(await freePort()),
    });
    assert.equal((await run.exit).code, 1);
    assert.deepEqual(errorLines(run.output()), [
      `launcher | error: port ${41004 + offset} (beta ops) is already in use; stop what uses it or start with --port-offset <n>`,
    ]);
    assert.ok(!existsSync(dir), "nothing was started or written");
  } finally {
    blocker.close();
  }
});

test("the PostgreSQL port already in use is one line naming TOKO_PG_PORT", async () => {
  const pgPort = await freePort();
  const blocker = await occupy(pgPort);
  try {
    const run = launch("main", ["--root", fixtures("bad-migration"), "--data-dir", join(data.dir, "pg")], {
      TOKO_PG_PORT: String(pgPort),
    });
    assert.equal((await run.exit).code, 1);
    assert.deepEqual(errorLines(run.output()), [
      `launcher | error: port ${pgPort} (PostgreSQL) is already in use; stop what uses it or set TOKO_PG_PORT`,
    ]);
  } finally {
    blocker.close();
  }
});

test("a dependency cycle is one line naming the cycle", async () => {
  const run = launch("main", ["--root", fixtures("cycle"), "--data-dir", join(data.dir, "cycle")]);
  assert.equal((await run.exit).code, 1);
  assert.deepEqual(errorLines(run.output()), ["launcher | error: dependency cycle: one -> two -> one"]);
});

test("a failing migration stops start-up, naming the service and the file", async () => {
  const dir = join(data.dir, "migration");
  const offset = await freeOffset([41011, 41012]);
  const run = launch(
    "main",
    ["--root", fixtures("bad-migration"), "--data-dir", dir, `--port-offset=${offset}`],
    {
      TOKO_PG_PORT: String(await freePort()),
    },
  );
  assert.equal((await run.exit).code, 1);
  const out = run.output();
  assert.match(
    out,
    /launcher +\| gamma: migration services\/gamma\/migrations\/0002_broken\.sql failed: syntax error at or near ","\n/,
  );
  assert.doesNotMatch(out, /gamma: started/);
  assert.match(out, /stopped all services and PostgreSQL/);
  assert.deepEqual(
    processTable().filter((p) => p.args.includes(dir)),
    [],
  );
});

test("a service that keeps crashing is given up on with a clear message", async () => {
  const dir = join(data.dir, "doomed");
  const offset = await freeOffset([41031, 41032]);
  const run = launch(
    "main",
    [
      "--root",
      fixtures("doomed"),
      "--data-dir",
      dir,
      `--port-offset=${offset}`,
      "--backoff-ms",
      "10",
      "--max-restarts",
      "2",
    ],
    { TOKO_PG_PORT: String(await freePort()) },
  );
  assert.equal((await run.exit).code, 1);
  const out = run.output();
  assert.match(out, /^doomed +\| doomed: invalid configuration: SOMETHING is required$/m);
  assert.match(
    out,
    /doomed: exited unexpectedly \(exit code 3\) after \d+\.\d s; restarting in 10 ms \(restart 1\)/,
  );
  assert.match(out, /restarting in 20 ms \(restart 2\)/);
  assert.match(out, /doomed crashed 3 times in a row, each soon after starting; giving up/);
  assert.equal(out.match(/doomed: started/g)?.length, 3);
  assert.deepEqual(
    processTable().filter((p) => p.args.includes(dir)),
    [],
  );
});

test("npm run migrate creates and migrates every database, then exits", async () => {
  const dir = join(data.dir, "migrate");
  const run = launch("migrate", ["--root", fixtures("stack"), "--data-dir", dir], {
    TOKO_PG_PORT: String(await freePort()),
  });
  assert.equal((await run.exit).code, 0, run.output());
  const out = run.output();
  assert.match(out, /alpha: applied 0001_items\.sql to database launcher_fixture_alpha/);
  assert.match(out, /beta: applied 0001_beta\.sql to database launcher_fixture_beta/);
  assert.match(out, /migrated 2 service database\(s\) and the bus database/);
  assert.doesNotMatch(out, /started \(pid/);
  assert.deepEqual(
    processTable().filter((p) => p.args.includes(dir)),
    [],
  );
});
