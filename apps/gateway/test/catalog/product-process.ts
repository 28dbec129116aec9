import { join } from "node:path";
import { startServiceProcess } from "@toko/testing";

const productDir = join(import.meta.dirname, "..", "..", "..", "..", "services", "product");

/**
 * The real product service as its own process (`@toko/testing`'s `startServiceProcess`), ready
 * on /readyz; `stop()` fails unless it shut down cleanly (exit 0).
 */
export async function startProductProcess(
  env: Record<string, string>,
): Promise<{ grpcAddress: string; stop(): Promise<void> }> {
  const product = await startServiceProcess(productDir, env);
  return {
    grpcAddress: product.grpcAddress,
    async stop() {
      const code = await product.stop();
      if (code !== 0) throw new Error(`product exited with code ${code}:\n${product.logs()}`);
    },
  };
}
