import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

/** One process of a production build, started with plain node (no tsx). */
export interface BuiltProcess {
  name: string;
  pid: number;
  /** The URL that answers 200 once it is ready. */
  readyUrl: string;
  env: Record<string, string>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash), then waits for the exit. */
  kill(): Promise<void>;
  exited(): boolean;
  logs(): string;
}

const KEEP_OUTPUT = 30_000;
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** `node --conditions=production <dir>/dist/main.js`: workspace imports resolve to dist/, not src/. */
export function productionArgs(dir: string): string[] {
  return ["--conditions=production", "--enable-source-maps", join(dir, "dist", "main.js")];
}

/**
 * Spawns `node <args>` in `dir` with exactly `env` (nothing inherited but PATH and HOME, so a
 * developer's shell cannot leak into what is proven) and waits until `readyUrl` answers 200.
 */
export async function startBuiltProcess(options: {
  name: string;
  dir: string;
  env: Record<string, string>;
  readyUrl: string;
  readyTimeoutMs?: number;
  nodeArgs?: readonly string[];
  node?: string;
}): Promise<BuiltProcess> {
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    LOG_FORMAT: "json",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  const child = spawn(options.node ?? process.execPath, options.nodeArgs ?? productionArgs(options.dir), {
    cwd: options.dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code))).finally(
    () => running.delete(child),
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEEP_OUTPUT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const handle: BuiltProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    readyUrl: options.readyUrl,
    env,
    async stop() {
      if (alive()) child.kill("SIGTERM");
      return exit;
    },
    async kill() {
      if (alive()) child.kill("SIGKILL");
      await exit;
    },
    exited: () => !alive(),
    logs: () => output,
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (!alive())
      throw new Error(
        `${options.name} exited (${child.exitCode ?? child.signalCode}) before ready:\n${output}`,
      );
    const ready = await fetch(options.readyUrl, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return handle;
    if (Date.now() > deadline) {
      await handle.kill();
      throw new Error(`${options.name} not ready at ${options.readyUrl}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
