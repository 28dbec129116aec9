import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync } from "node:fs";
import { join, resolve } from "node:path";
import { makeTempDir, removeTempDir } from "@toko/testing";

export const launcherDir = resolve(import.meta.dirname, "..");
export const fixtures = (name: string) => join(launcherDir, "test", "fixtures", name);

/** A throwaway data directory on tmpfs, reachable by the `postgres` user when run as root. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = makeTempDir("launcher", { memory: true });
  chmodSync(dir, 0o755);
  return { dir, remove: () => removeTempDir(dir) };
}

/**
 * A port offset under which every one of `ports` (the fixtures use 41001-41032) is free and
 * claimed for this test process (see @toko/testing's freePort).
 */
export { freeOffset } from "@toko/testing";

/** A launcher command running as a child, in its own process group like a terminal's job. */
export interface Launched {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output matches; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `src/<command>.ts` with arguments and extra environment. */
export function launch(
  command: "main" | "migrate",
  args: string[],
  env: Record<string, string> = {},
): Launched {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(launcherDir, "src", `${command}.ts`), ...args],
    {
      cwd: launcherDir,
      env: { ...process.env, NO_COLOR: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("close", (code, signal) => {
      for (const l of listeners) l();
      done({ code, signal });
    }),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((done, fail) => {
      const check = () => {
        const m = text.match(pattern);
        if (m) {
          listeners.delete(check);
          done(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(check);
          fail(new Error(`launcher exited before printing ${pattern}; output:\n${text}`));
        }
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => text, waitFor, exit };
}

/** Pids of the processes (among `pids`) that are still alive. */
export function alive(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

/** Every process's pid, parent pid and command line, from `ps`. */
export function processTable(): { pid: number; ppid: number; args: string }[] {
  return execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] ?? "" }));
}

/** The lines of `text` after the first line matching `marker`. */
export function linesAfter(text: string, marker: RegExp): string {
  const i = text.search(marker);
  return i < 0 ? "" : text.slice(i);
}
