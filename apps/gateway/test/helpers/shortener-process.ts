import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

const mainPath = join(import.meta.dirname, "..", "..", "..", "..", "services", "shortener", "src", "main.ts");

/** The real shortener, run as the launcher runs it: its own process, env in, SIGTERM out. */
export interface ShortenerProcess {
  grpcAddress: string;
  /** SIGTERM and wait for the exit (a clean shutdown). */
  stop(): Promise<void>;
  /** Starts it again on the same ports and waits until it is ready. */
  start(): Promise<void>;
}

/** Spawns `node --import tsx services/shortener/src/main.ts` and waits for its /readyz. */
export async function startShortenerProcess(env: Record<string, string>): Promise<ShortenerProcess> {
  let child: ChildProcess | undefined;
  const opsPort = env.OPS_PORT;
  const handle: ShortenerProcess = {
    grpcAddress: `127.0.0.1:${env.GRPC_PORT}`,
    async start() {
      child = spawn(process.execPath, ["--import", "tsx", mainPath], {
        env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
        stdio: ["ignore", "ignore", "inherit"],
      });
      for (let i = 0; i < 300; i++) {
        if (child.exitCode !== null) throw new Error(`shortener exited with code ${child.exitCode}`);
        const ready = await fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("shortener did not become ready");
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
  await handle.start();
  return handle;
}
