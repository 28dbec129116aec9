import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

/** A service running as its own process, as the launcher runs it. */
export interface ServiceProcess {
  /** `127.0.0.1:<GRPC_PORT>`. */
  grpcAddress: string;
  /** `http://127.0.0.1:<OPS_PORT>` (/readyz, /healthz, /metrics). */
  opsUrl: string;
  /** The environment it was started with (GRPC_PORT and OPS_PORT filled in), to start it again alike. */
  env: Record<string, string>;
  /** SIGTERM, then waits for the exit; returns the exit code (0 after a clean shutdown). */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash), then waits for the exit. */
  kill(): Promise<void>;
  /** The last output lines, for failure messages. */
  logs(): string;
}

export interface ServiceProcessOptions {
  /** How long to wait for /readyz; default 60 s. */
  readyTimeoutMs?: number;
}

const KEEP_OUTPUT = 20_000;
const running = new Set<ChildProcess>();
// A test process that dies (failed assertion, Ctrl-C) must not leave services behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/**
 * Spawns `node --import tsx <dir>/src/main.ts` with `env` over this process's environment
 * (LOG_LEVEL=warn, LOG_FORMAT=json unless given; GRPC_PORT/OPS_PORT free ports unless given)
 * and waits until `GET /readyz` on OPS_PORT answers 200. Fails with the process's output if it
 * exits or does not become ready.
 */
export async function startServiceProcess(
  dir: string,
  env: Record<string, string> = {},
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const full: Record<string, string> = {
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    ...env,
    GRPC_PORT: env.GRPC_PORT ?? String(await freePort()),
    OPS_PORT: env.OPS_PORT ?? String(await freePort()),
  };
  const child = spawn(process.execPath, ["--import", "tsx", join(dir, "src", "main.ts")], {
    cwd: dir,
    env: { ...process.env, ...full },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const exited = exitOf(child).finally(() => running.delete(child));
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEEP_OUTPUT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const opsUrl = `http://127.0.0.1:${full.OPS_PORT}`;
  const handle: ServiceProcess = {
    grpcAddress: `127.0.0.1:${full.GRPC_PORT}`,
    opsUrl,
    env: full,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    logs: () => output,
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${dir} exited (${child.exitCode ?? child.signalCode}) before ready:\n${output}`);
    }
    const ready = await fetch(`${opsUrl}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return handle;
    if (Date.now() > deadline) {
      await handle.kill();
      throw new Error(`${dir} not ready on ${opsUrl}/readyz:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs a deployable's script (`node --import tsx <dir>/<script>`, e.g. a seed or a reindex) to
 * completion with `env`; resolves with its output, rejects with it when the exit code is not 0.
 */
export function runServiceScript(dir: string, script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(dir, script)], {
      cwd: dir,
      env: { ...process.env, LOG_LEVEL: "info", LOG_FORMAT: "json", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}:\n${out}`)),
    );
  });
}
