import { join } from "node:path";
import { type ServiceProcess, startServiceProcess } from "@toko/testing";

const shortenerDir = join(import.meta.dirname, "..", "..", "..", "..", "services", "shortener");

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
  let current: ServiceProcess | undefined = await startServiceProcess(shortenerDir, env);
  const grpcAddress = current.grpcAddress;
  const ports = { GRPC_PORT: current.env.GRPC_PORT ?? "", OPS_PORT: current.env.OPS_PORT ?? "" };
  return {
    grpcAddress,
    async start() {
      current = await startServiceProcess(shortenerDir, { ...env, ...ports });
    },
    async stop() {
      const stopping = current;
      current = undefined;
      const code = await stopping?.stop();
      if (code !== undefined && code !== 0) throw new Error(`shortener exited with code ${code}`);
    },
  };
}
