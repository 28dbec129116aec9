// Starts the whole marketplace exactly as `npm start` does (the launcher: embedded PostgreSQL,
// every service, the gateway serving the web app), on shifted ports and a throwaway data folder.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dirname, "..", "..", "..", "..", "..");

export interface Marketplace {
  /** The gateway's origin, e.g. http://localhost:12280 (the OAuth client's registered origin). */
  origin: string;
  stop(): Promise<void>;
}

/** Starts `npm start`'s launcher and resolves once it prints that every service is healthy. */
export async function startMarketplace(): Promise<Marketplace> {
  const offset = Number(process.env.TOKO_E2E_PORT_OFFSET ?? 4200);
  const dataDir = mkdtempSync(join(tmpdir(), "toko-web-e2e-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(repoRoot, "tools/launcher/src/main.ts"),
      "--port-offset",
      String(offset),
      "--data-dir",
      dataDir,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        TOKO_PG_PORT: String(5433 + offset),
        NO_COLOR: "1",
        EVENT_BUS: process.env.EVENT_BUS ?? "postgres",
        // The development carrier simulator walks a parcel to DELIVERED in seconds, not minutes.
        SHIPPING_SIMULATOR_STEP_MS: process.env.SHIPPING_SIMULATOR_STEP_MS ?? "1000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  // A loaded machine starts the marketplace slowly: TOKO_E2E_START_TIMEOUT_S raises the wait.
  const startSeconds = Number(process.env.TOKO_E2E_START_TIMEOUT_S ?? 240);
  const started = new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the marketplace did not start within ${startSeconds} s:\n${log.slice(-4000)}`)),
      startSeconds * 1000,
    );
    const onData = (d: Buffer) => {
      log += d.toString();
      if (/all \d+ services healthy/.test(log)) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`the launcher exited (${code}) before it was ready:\n${log.slice(-4000)}`));
    });
  });
  const stop = async () => {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await started;
  } catch (error) {
    // Never leave a half-started marketplace behind (it would keep the test process alive).
    await stop();
    throw error;
  }
  return {
    origin: `http://localhost:${8080 + offset}`,
    stop,
  };
}
