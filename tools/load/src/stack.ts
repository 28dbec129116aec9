import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { discoverServices, repoRoot, withPortOffset } from "@toko/launcher";

/** A platform started by `npm start`'s launcher for a load or chaos run, in its own data directory. */
export interface Stack {
  origin: string;
  adminUrl: string;
  dataDir: string;
  logFile: string;
  /** Service name → its database (as the launcher creates them). */
  databases: Map<string, string>;
  /** Service name → its ops readiness URL. */
  readiness: Map<string, string>;
  /** Milliseconds from spawning the launcher to its "healthy" line. */
  readyMs: number;
  launcherPid: number;
  stop(): Promise<void>;
}

export interface StackOptions {
  portOffset: number;
  postgresPort: number;
  /** Extra environment for every service (the launcher passes its environment on). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Keep the data directory after stopping (default: removed). */
  keep?: boolean;
  /** Print the launcher's output as well as writing it to the log. */
  echo?: boolean;
  /** Start on this data directory (a second start of the same platform) instead of a fresh one. */
  dataDir?: string;
}

const PG_PASSWORD = "toko";

/**
 * Starts the launcher (`tools/launcher/src/main.ts`, as `npm start` does) on shifted ports in a
 * temporary data directory, so a developer's own `.data/` and ports are untouched, and resolves
 * once it prints that every service is healthy.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "toko-load-"));
  const logFile = join(dataDir, "..", `${dataDir.split("/").pop()}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  const specs = discoverServices(repoRoot).map((s) => withPortOffset(s, options.portOffset));
  const gateway = specs.find((s) => s.kind === "gateway");
  if (!gateway?.httpPort) throw new Error("no gateway found");
  const started = Date.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(repoRoot, "tools/launcher/src/main.ts"),
      "--data-dir",
      dataDir,
      "--port-offset",
      String(options.portOffset),
      // Chaos kills services on purpose; the launcher must keep restarting them.
      "--max-restarts",
      "1000",
      "--ready-timeout-ms",
      String(options.readyTimeoutMs ?? 300_000),
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", TOKO_PG_PORT: String(options.postgresPort), ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  const ready = new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        log.write(`${line}\n`);
        if (options.echo) process.stderr.write(`${line}\n`);
        if (/all \d+ services? healthy in/.test(line)) resolve();
      });
    }
    void exited.then((code) =>
      reject(new Error(`the launcher exited (code ${code}) before ready; see ${logFile}`)),
    );
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => killTree(child.pid ?? 0), 60_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const databases = new Map<string, string>();
  const readiness = new Map<string, string>();
  for (const s of specs) {
    if (s.database) databases.set(s.name, s.database);
    const port = s.opsPort ?? s.httpPort;
    if (port) readiness.set(s.name, `http://127.0.0.1:${port}/readyz`);
  }
  return {
    origin: `http://127.0.0.1:${gateway.httpPort}`,
    adminUrl: `postgres://postgres:${PG_PASSWORD}@127.0.0.1:${options.postgresPort}/postgres`,
    dataDir,
    logFile,
    databases,
    readiness,
    readyMs: Date.now() - started,
    launcherPid: child.pid ?? 0,
    stop,
  };
}

/** One process of the running platform. */
export interface PlatformProcess {
  pid: number;
  ppid: number;
  /** The service or app name, "postgres" for the server and its backends, "launcher" for the launcher. */
  role: string;
  cmdline: string;
}

function readProc(pid: number): PlatformProcess | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    return { pid, ppid: Number(fields[1]), role: "", cmdline };
  } catch {
    return undefined;
  }
}

/** Every process descending from `rootPid` (the launcher), each named by what it runs. */
export function platformProcesses(rootPid: number): PlatformProcess[] {
  const all: PlatformProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const p = readProc(Number(entry));
    if (p) all.push(p);
  }
  const children = new Map<number, PlatformProcess[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: PlatformProcess[] = [];
  const root = all.find((p) => p.pid === rootPid);
  if (!root) return out;
  const walk = (p: PlatformProcess, inherited: string) => {
    p.role = roleOf(p.cmdline) ?? inherited;
    out.push(p);
    for (const c of children.get(p.pid) ?? []) walk(c, p.role === "launcher" ? "launcher" : p.role);
  };
  walk(root, "launcher");
  return out;
}

/**
 * `services/<name>/src/main.ts` (or its build, `dist/main.js`) → name; a PostgreSQL server or
 * backend → "postgres".
 */
export function roleOf(cmdline: string): string | undefined {
  const m = /\/(?:services|apps)\/([a-z0-9-]+)\/(?:src\/(?:main|seed)\.ts|dist\/(?:main|seed)\.js)/.exec(
    cmdline,
  );
  if (m) return m[1];
  if (/(^|\/)postgres(\s|$)|^postgres:/.test(cmdline)) return "postgres";
  return undefined;
}

/** The main process of each service (the one the launcher restarts), by name. */
export function servicePids(rootPid: number): Map<string, number> {
  const procs = platformProcesses(rootPid);
  const out = new Map<string, number>();
  for (const p of procs) {
    if (p.role === "launcher" || p.role === "postgres") continue;
    const parent = procs.find((q) => q.pid === p.ppid);
    // The outermost process of the role (a worker of a cluster has its primary as parent).
    if (parent?.role !== p.role && !out.has(p.role)) out.set(p.role, p.pid);
  }
  return out;
}

/** The PostgreSQL postmaster (parent of the backends) under the launcher, if embedded. */
export function postmasterPid(rootPid: number): number | undefined {
  const procs = platformProcesses(rootPid);
  return procs.find((p) => p.role === "postgres" && procs.find((q) => q.pid === p.ppid)?.role !== "postgres")
    ?.pid;
}

function killTree(rootPid: number): void {
  for (const p of platformProcesses(rootPid).reverse()) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Whether every service answers its readiness probe. */
export async function allReady(stack: Stack): Promise<string[]> {
  const notReady: string[] = [];
  await Promise.all(
    [...stack.readiness].map(async ([name, url]) => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
        await res.body?.cancel();
        if (res.status !== 200) notReady.push(name);
      } catch {
        notReady.push(name);
      }
    }),
  );
  return notReady.sort();
}
