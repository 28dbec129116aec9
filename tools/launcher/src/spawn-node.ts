import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Output } from "./output.ts";

// Resolved once from the launcher, so a service does not need tsx in its own node_modules.
export const tsxLoader = import.meta.resolve("tsx");

/**
 * V8 flags for the dozen processes of one laptop run. Start-up (module loading, catch-up)
 * grows each process's young generation to its 16 MB semi-spaces, and V8 keeps them: about
 * 30 MB a process that a 2 MB limit saves (footprint bench: ~1,630 → ~1,330 MB after start),
 * for more frequent, shorter young-generation collections.
 */
export const LOCAL_NODE_FLAGS = ["--max-semi-space-size=2"];

/** How a deployable's code runs: its production build (see service-build.ts) or its sources through tsx. */
export type Runtime = "build" | "tsx";

/**
 * The node arguments that run `file` (e.g. `src/main.ts`) of the deployable in `dir`: through
 * tsx, or its compiled twin (`dist/main.js`) with the "production" export condition, so the
 * packages it imports resolve to their dist/ too. Source maps keep stack traces pointing at src/.
 */
export function nodeArgs(dir: string, file: string, runtime: Runtime): string[] {
  if (runtime === "tsx") return [...LOCAL_NODE_FLAGS, "--import", tsxLoader, join(dir, file)];
  const compiled = file.replace(/^src\//, "dist/").replace(/\.ts$/, ".js");
  return [...LOCAL_NODE_FLAGS, "--conditions=production", "--enable-source-maps", join(dir, compiled)];
}

/**
 * Runs `node <args>` in its own process group (so a terminal's Ctrl-C reaches only the launcher,
 * which then stops things in order) with its output rendered line by line.
 */
export function spawnNode(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; name: string; output: Output },
): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
      options.output.line(options.name, line),
    );
  }
  return child;
}

/** Signals a process group; a group that is already gone is not an error. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: it exited between our check and the signal.
  }
}

/** Resolves with the exit code (or signal) once the process has exited; at once if it already has. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** "exit code 1" / "signal SIGKILL", for messages. */
export function describeExit(e: { code: number | null; signal: NodeJS.Signals | null }): string {
  return e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
}
