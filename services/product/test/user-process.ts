import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { freePort } from "@toko/testing";

const userMain = join(import.meta.dirname, "..", "..", "user", "src", "main.ts");

/** The real user service as the launcher runs it: its own process, env per the process contract. */
export async function startUserProcess(env: { DATABASE_URL: string; TOKO_INTERNAL_SECRET: string }) {
  const [grpcPort, opsPort] = [await freePort(), await freePort()];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(process.execPath, ["--import", "tsx", userMain], {
      env: {
        ...process.env,
        ...env,
        GRPC_PORT: String(grpcPort),
        OPS_PORT: String(opsPort),
        LOG_FORMAT: "json",
        LOG_LEVEL: "warn",
        TOKO_PUBLIC_ORIGIN: "http://localhost:8080",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`user service exited with ${child.exitCode}`);
      const ready = await fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      if (i > 300) throw new Error("user service did not become ready");
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };
  await start();
  return { address: `127.0.0.1:${grpcPort}`, start, stop };
}
