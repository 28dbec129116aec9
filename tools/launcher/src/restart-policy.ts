/** Tuning for restarts after a crash. */
export interface RestartPolicyOptions {
  /** First delay; doubled after every fast crash. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A process that stayed up this long is healthy again: the next crash starts from the first delay. */
  stableAfterMs: number;
  /** This many crashes in a row, each before `stableAfterMs`, and the launcher gives up. */
  maxFastCrashes: number;
}

export const defaultRestartPolicy: RestartPolicyOptions = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  stableAfterMs: 30_000,
  maxFastCrashes: 5,
};

export type RestartDecision =
  | { action: "restart"; delayMs: number; attempt: number }
  | { action: "give-up"; crashes: number };

/** Exponential backoff with a reset after a stable run and a limit on repeated fast crashes. */
export class RestartPolicy {
  private fastCrashes = 0;

  constructor(private readonly options: RestartPolicyOptions = defaultRestartPolicy) {}

  /** Decides what to do after the process exited unexpectedly, having been up `uptimeMs`. */
  onCrash(uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.options.stableAfterMs) this.fastCrashes = 0;
    this.fastCrashes++;
    if (this.fastCrashes > this.options.maxFastCrashes)
      return { action: "give-up", crashes: this.fastCrashes };
    const delayMs = Math.min(
      this.options.initialDelayMs * 2 ** (this.fastCrashes - 1),
      this.options.maxDelayMs,
    );
    return { action: "restart", delayMs, attempt: this.fastCrashes };
  }
}
