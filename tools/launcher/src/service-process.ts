import type { ChildProcess } from "node:child_process";
import type { ServiceSpec } from "./manifest.ts";
import type { Output } from "./output.ts";
import { RestartPolicy, type RestartPolicyOptions } from "./restart-policy.ts";
import { describeExit, exited, nodeArgs, type Runtime, signalGroup, spawnNode } from "./spawn-node.ts";

/**
 * One supervised service process: started on demand, restarted with backoff when it crashes,
 * stopped with SIGTERM then SIGKILL after a grace period. Never restarted once stopping.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private readonly policy: RestartPolicy;

  constructor(
    readonly spec: ServiceSpec,
    private readonly env: Record<string, string>,
    private readonly output: Output,
    restart: RestartPolicyOptions,
    /** Called once when the process keeps crashing and the launcher should give up. */
    private readonly onGiveUp: (message: string) => void,
    /** Decided once the build is known, before the first start. */
    public runtime: Runtime = "tsx",
  ) {
    this.policy = new RestartPolicy(restart);
  }

  /** The running process's id, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the process; does nothing once stopping has begun. */
  start(): void {
    if (this.stopping || this.child) return;
    const child = spawnNode(nodeArgs(this.spec.dir, "src/main.ts", this.runtime), {
      cwd: this.spec.dir,
      env: this.env,
      name: this.spec.name,
      output: this.output,
    });
    this.child = child;
    this.startedAt = Date.now();
    this.output.info(`${this.spec.name}: started (pid ${child.pid})`);
    child.once("error", (error) => this.output.error(`${this.spec.name}: could not start: ${error.message}`));
    void exited(child).then((result) => this.onExit(child, result));
  }

  private onExit(child: ChildProcess, result: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.child === child) this.child = undefined;
    if (this.stopping) return;
    // Whatever it left behind in its process group must not outlive it.
    signalGroup(child, "SIGKILL");
    const uptime = Date.now() - this.startedAt;
    const decision = this.policy.onCrash(uptime);
    const what = `${this.spec.name}: exited unexpectedly (${describeExit(result)}) after ${(uptime / 1000).toFixed(1)} s`;
    if (decision.action === "give-up") {
      this.output.error(`${what}`);
      this.onGiveUp(
        `${this.spec.name} crashed ${decision.crashes} times in a row, each soon after starting; giving up (its output is above)`,
      );
      return;
    }
    this.output.error(`${what}; restarting in ${decision.delayMs} ms (restart ${decision.attempt})`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.start();
    }, decision.delayMs);
  }

  /** Stops for good: SIGTERM to its process group, SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const done = exited(child);
    signalGroup(child, "SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), graceMs);
    });
    const first = await Promise.race([done, timedOut]);
    clearTimeout(timer);
    if (first === "timeout") {
      this.output.error(`${this.spec.name}: still running ${graceMs} ms after SIGTERM; sending SIGKILL`);
      signalGroup(child, "SIGKILL");
      await done;
    } else {
      // Its process group may hold helpers the service started; they go with it.
      signalGroup(child, "SIGKILL");
      this.output.info(`${this.spec.name}: stopped (${describeExit(first)})`);
    }
  }

  /** Last resort when the launcher itself is dying: kill synchronously, no waiting. */
  killNow(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.child) signalGroup(this.child, "SIGKILL");
  }
}
