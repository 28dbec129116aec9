/** Exponential backoff with full jitter, for retries that must not stampede together. */
export function backoff(attempt: number, minMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * A wake-up signal for a polling loop: `wait(ms)` resolves after `ms` or as soon as `wake()`
 * is called. A wake with nobody waiting is remembered, so a notification is never missed.
 */
export class Wake {
  #pending = false;
  #resolve: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  wake(): void {
    if (this.#resolve) this.#finish();
    else this.#pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#resolve = resolve;
      this.#timer = setTimeout(() => this.#finish(), Math.max(0, ms));
    });
  }

  #finish(): void {
    clearTimeout(this.#timer);
    const resolve = this.#resolve;
    this.#resolve = undefined;
    resolve?.();
  }
}

/**
 * Runs `task` right away and then every `intervalMs` until stopped; `stop()` waits for a run in
 * flight. The task handles its own errors (a throw is treated as a failed run and waited out).
 */
export function repeatEvery(intervalMs: number, task: () => Promise<void>): { stop(): Promise<void> } {
  const wake = new Wake();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await task().catch(() => {});
      await wake.wait(intervalMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake.wake();
      await loop;
    },
  };
}
