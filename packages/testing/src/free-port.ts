import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processAlive } from "@toko/kit";

// A test picks a port, then hands it to a child process that binds it later. Two things can
// take the port in between:
// - an outgoing connection of any process (a pool's new PostgreSQL connection, a gRPC channel):
//   the kernel gives those a port from its ephemeral range, the same range listen(0) uses. So
//   ports are chosen below that range, where only a listener can take them;
// - another test choosing the same port: every test process claims a port by creating a file
//   named after it (O_EXCL, so one process wins), removed when the process exits.

/** Where claims live: one file per port, holding the claiming process's pid. */
export const PORT_CLAIMS_DIR_ENV = "TOKO_TEST_PORT_CLAIMS";
/** Where this process starts its walk (tests of the claims set it); else derived from the pid. */
export const PORT_START_ENV = "TOKO_TEST_PORT_START";
/** Lowest port chosen. */
const LOW = 20_000;
/** A claim whose process is gone is removed once it is this old (a killed test left it). */
const STALE_MS = 10 * 60_000;

const claimed = new Set<number>();
let next: number | undefined;
let swept = false;

/** One folder for the machine (not TMPDIR, which the test runner makes per run): runs at once share ports too. */
function claimsDir(): string {
  const root = process.platform !== "win32" && existsSync("/tmp") ? "/tmp" : tmpdir();
  const dir =
    process.env[PORT_CLAIMS_DIR_ENV] ?? join(root, `.toko-test-ports-${process.getuid?.() ?? "user"}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The first port of the kernel's ephemeral range (Linux), else the IANA dynamic range's. */
export function ephemeralLow(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // Not Linux.
  }
  return 49_152;
}

/** Removes claims of processes that are gone and old enough that no child can still be starting. */
function sweep(dir: string): void {
  swept = true;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    try {
      const pid = Number(readFileSync(file, "utf8"));
      if (Date.now() - lstatSync(file).mtimeMs > STALE_MS && !processAlive(pid)) unlinkSync(file);
    } catch {
      // Another process removed it first.
    }
  }
}

function release(): void {
  const dir = claimsDir();
  for (const port of claimed) {
    try {
      unlinkSync(join(dir, String(port)));
    } catch {
      // Already gone.
    }
  }
  claimed.clear();
}

/** Claims `port` for this process: false when another process (or this one) has it. */
function claim(dir: string, port: number): boolean {
  if (claimed.has(port)) return false;
  let fd: number;
  try {
    fd = openSync(join(dir, String(port)), "wx", 0o600);
  } catch {
    return false;
  }
  writeSync(fd, String(process.pid));
  closeSync(fd);
  if (claimed.size === 0) process.once("exit", release);
  claimed.add(port);
  return true;
}

/** Gives a claim of this process back. */
function unclaim(dir: string, port: number): void {
  claimed.delete(port);
  try {
    unlinkSync(join(dir, String(port)));
  } catch {
    // Already gone.
  }
}

/** Binds `port` on loopback and releases it: the port it got. */
function bindable(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * A TCP port on loopback that is free now, that no other test process has been given, and that
 * no outgoing connection can take before the caller's child binds it. Never the same twice in
 * one process.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  const size = high - LOW;
  // No room below the ephemeral range: the kernel's choice is the best there is.
  if (size < 1_000) return bindable(0);
  const dir = claimsDir();
  if (!swept) sweep(dir);
  // Each process walks the range from its own starting point, so processes rarely meet.
  const start = Number(process.env[PORT_START_ENV]);
  next ??= start >= LOW && start < high ? start : LOW + ((process.pid * 7_919) % size);
  for (let tried = 0; tried < size; tried++) {
    const port = next;
    next = next + 1 >= high ? LOW : next + 1;
    if (!claim(dir, port)) continue;
    // Claimed; still check that nothing else (a server outside the tests) listens there.
    if (
      await bindable(port).then(
        () => true,
        () => false,
      )
    )
      return port;
  }
  throw new Error(`no free port between ${LOW} and ${high - 1}`);
}

/**
 * An offset that moves every one of `ports` (a stack's fixed ports, shifted together as the
 * launcher's `--port-offset` does) to a port as safe as `freePort`'s: below the ephemeral range,
 * free now, and claimed for this process, so no other test is given one of them.
 */
export async function freeOffset(ports: readonly number[]): Promise<number> {
  const low = Math.min(...ports);
  const room = ephemeralLow() - LOW - (Math.max(...ports) - low);
  if (room < 1_000) throw new Error(`no room below the ephemeral range for ports ${ports.join(", ")}`);
  const dir = claimsDir();
  if (!swept) sweep(dir);
  for (let tried = 0; tried < 1_000; tried++) {
    const offset = LOW + Math.floor(Math.random() * room) - low;
    const moved = ports.map((p) => p + offset);
    const taken: number[] = [];
    for (const port of moved) {
      if (!claim(dir, port)) break;
      taken.push(port);
    }
    if (taken.length === moved.length) {
      const free = await Promise.all(
        moved.map((port) =>
          bindable(port).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (free.every(Boolean)) return offset;
    }
    for (const port of taken) unclaim(dir, port);
  }
  throw new Error(`no offset moves ports ${ports.join(", ")} to free ones`);
}
