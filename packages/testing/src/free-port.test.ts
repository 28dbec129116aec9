import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { ephemeralLow, freeOffset, freePort, PORT_CLAIMS_DIR_ENV, PORT_START_ENV } from "./free-port.ts";

// Claims go to a folder of this file's own, shared with the child processes it starts.
const dir = mkdtempSync(join(tmpdir(), ".toko-port-claims-test-"));
process.env[PORT_CLAIMS_DIR_ENV] = dir;
after(() => rmSync(dir, { recursive: true, force: true }));

const run = promisify(execFile);
const module = join(import.meta.dirname, "free-port.ts");

/** Ports chosen by a separate node process; `hold` keeps it (and its claims) alive that long. */
async function portsOfChild(count: number, hold = 0, start?: number): Promise<number[]> {
  const script = `import { freePort } from ${JSON.stringify(module)};
const ports = [];
for (let i = 0; i < ${count}; i++) ports.push(await freePort());
console.log(JSON.stringify(ports));
await new Promise((r) => setTimeout(r, ${hold}));`;
  const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: {
      ...process.env,
      [PORT_CLAIMS_DIR_ENV]: dir,
      ...(start ? { [PORT_START_ENV]: String(start) } : {}),
    },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) as string) as number[];
}

test("ports are free, below the kernel's ephemeral range (where outgoing connections cannot take them), and never repeat", async () => {
  const ports = await Promise.all(Array.from({ length: 30 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length, `repeated: ${ports.join(", ")}`);
  for (const port of ports) {
    assert.ok(port >= 20_000 && port < ephemeralLow(), `${port} is outside 20000–${ephemeralLow() - 1}`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("a port another process listens on is skipped", async () => {
  const first = await freePort();
  // The next port in this process's walk, taken by a listener that is not a test.
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(first + 1, "127.0.0.1", resolve));
  try {
    const second = await freePort();
    assert.notEqual(second, first + 1);
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});

test("processes starting their walk at the same port never get the same port, and a process's claims go when it exits", async () => {
  const start = 25_000;
  const children = await Promise.all([
    portsOfChild(40, 500, start),
    portsOfChild(40, 500, start),
    portsOfChild(40, 500, start),
  ]);
  const mine = await Promise.all(Array.from({ length: 40 }, () => freePort()));
  const all = [...mine, ...children.flat()];
  assert.equal(new Set(all).size, all.length, "a port was given twice");
  // The children have exited: only this process's claims are left.
  const left = new Set(readdirSync(dir).map(Number));
  for (const port of children.flat()) assert.equal(left.has(port), false, `${port} still claimed`);
  for (const port of mine) assert.equal(left.has(port), true, `${port} not claimed`);
});

test("a process walks past ports claimed by others", async () => {
  const start = 27_000;
  const held = await portsOfChild(25, 0, start);
  // As if a live process had them.
  for (const port of held) writeFileSync(join(dir, String(port)), String(process.pid));
  const again = await portsOfChild(25, 0, start);
  for (const port of again) assert.equal(held.includes(port), false, `${port} was claimed`);
});

test("an old claim of a process that is gone is cleared; a live process's claim stays", async () => {
  const dead = join(dir, "20000");
  const live = join(dir, "20001");
  writeFileSync(dead, "2147483646");
  writeFileSync(live, String(process.pid));
  const old = new Date(Date.now() - 3_600_000);
  utimesSync(dead, old, old);
  utimesSync(live, old, old);
  await portsOfChild(1);
  assert.equal(existsSync(dead), false);
  assert.equal(existsSync(live), true);
});

test("an offset moves a stack's ports together to free ports below the ephemeral range, claimed as freePort claims them", async () => {
  // A stack's fixed ports, as the launcher's service manifests give them (gRPC 70xx, ops 94xx).
  const stack = [7051, 9451, 7053, 9453, 7054, 9454];
  const offsets = await Promise.all(Array.from({ length: 20 }, () => freeOffset(stack)));
  const moved = offsets.flatMap((offset) => stack.map((port) => port + offset));
  assert.equal(new Set(moved).size, moved.length, "two stacks share a port");
  const claims = new Set(readdirSync(dir).map(Number));
  for (const port of moved) {
    assert.ok(port >= 20_000 && port < ephemeralLow(), `${port} is outside 20000–${ephemeralLow() - 1}`);
    assert.equal(claims.has(port), true, `${port} not claimed`);
  }
  // freePort never hands out a port of those stacks.
  const more = await Promise.all(Array.from({ length: 50 }, () => freePort()));
  for (const port of more) assert.equal(moved.includes(port), false, `${port} given twice`);
});
