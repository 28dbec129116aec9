import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

const mainPath = join(import.meta.dirname, "..", "..", "..", "..", "services", "product", "src", "main.ts");

/** Spawns the real product service (`node --import tsx services/product/src/main.ts`) and waits for /readyz. */
export async function startProductProcess(
  env: Record<string, string>,
): Promise<{ grpcAddress: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", mainPath], {
    env: { ...process.env, LOG_LEVEL: "warn", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`product exited with code ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${env.OPS_PORT}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (i > 300) throw new Error("product did not become ready");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    grpcAddress: `127.0.0.1:${env.GRPC_PORT}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
