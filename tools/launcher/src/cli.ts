import { type LauncherConfig, loadLauncherConfig, usage } from "./config.ts";
import { LauncherError } from "./manifest.ts";
import { createOutput, type Output } from "./output.ts";

/**
 * Shared shell of the launcher's commands: parses options, runs `body`, turns any error into
 * one clear line and the process exit code.
 */
export async function runCommand(
  body: (config: LauncherConfig, output: Output) => Promise<number>,
): Promise<never> {
  const output = createOutput(process.stdout, process.stdout.isTTY === true);
  let code: number;
  try {
    const config = loadLauncherConfig(process.argv.slice(2), process.env, process.stdout.isTTY === true);
    if (config === "help") {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    code = await body(config, output);
  } catch (error) {
    output.error(error instanceof LauncherError ? `error: ${error.message}` : `error: ${describe(error)}`);
    code = 1;
  }
  process.exit(code);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}
