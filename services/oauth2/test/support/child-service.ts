import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");

/** A service running as a real child process (`node --import tsx <dir>/src/main.ts`). */
export class ChildService {
  private child: ChildProcess | undefined;
  private output = "";

  constructor(
    readonly name: string,
    private readonly dir: string,
    readonly env: Record<string, string>,
  ) {}

  /** Starts the process and waits until `GET /readyz` on its ops port answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.output = "";
    const child = spawn(process.execPath, ["--import", "tsx", join(this.dir, "src", "main.ts")], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const deadline = Date.now() + timeoutMs;
    const ready = `http://127.0.0.1:${this.env.OPS_PORT}/readyz`;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`${this.name} exited with ${child.exitCode}:\n${this.output}`);
      try {
        const res = await fetch(ready);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM and wait for a clean exit; returns the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /** The last lines the process printed (for failure messages). */
  logs(): string {
    return this.output;
  }
}
