import { join } from "node:path";
import { type ServiceProcess, startServiceProcess } from "@toko/testing";

const userDir = join(import.meta.dirname, "..", "..", "user");

/**
 * The real user service as the launcher runs it (its own process, env per the process
 * contract); `stop()` then `start()` restarts it on the same ports.
 */
export async function startUserProcess(env: { DATABASE_URL: string; TOKO_INTERNAL_SECRET: string }) {
  let current: ServiceProcess | undefined = await startServiceProcess(userDir, {
    ...env,
    EVENT_BUS: "none",
    TOKO_PUBLIC_ORIGIN: "http://localhost:8080",
  });
  const sameEnv = current.env;
  return {
    address: current.grpcAddress,
    async start() {
      current ??= await startServiceProcess(userDir, sameEnv);
    },
    async stop() {
      const stopping = current;
      current = undefined;
      const code = await stopping?.stop();
      if (code !== undefined && code !== 0) throw new Error(`user service exited with code ${code}`);
    },
  };
}
