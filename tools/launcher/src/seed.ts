import { LauncherError, type ServiceSpec } from "./manifest.ts";
import type { Output } from "./output.ts";
import { describeExit, exited, nodeArgs, type Runtime, signalGroup, spawnNode } from "./spawn-node.ts";

/**
 * Runs a service's seed script with the service's environment, after migrating and before the
 * service starts. Seeds are idempotent, so this runs on every start. Stopping kills it.
 */
export async function runSeed(
  spec: ServiceSpec & { seed: string },
  env: Record<string, string>,
  output: Output,
  signal: AbortSignal,
  runtime: Runtime,
): Promise<void> {
  signal.throwIfAborted();
  output.info(`${spec.name}: running seed ${spec.seed}`);
  const child = spawnNode(nodeArgs(spec.dir, spec.seed, runtime), {
    cwd: spec.dir,
    env,
    name: `${spec.name}:seed`,
    output,
  });
  const stop = () => signalGroup(child, "SIGTERM");
  signal.addEventListener("abort", stop, { once: true });
  try {
    const result = await exited(child);
    signal.throwIfAborted();
    if (result.code !== 0) {
      throw new LauncherError(
        `${spec.name}: seed ${spec.seed} failed (${describeExit(result)}); its output is above`,
      );
    }
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
