import type { Logger } from "@toko/kit";

/** A task run on a fixed interval until stopped. */
export interface Periodic {
  /** Stops waiting at once and resolves after a run in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `task` every `intervalMs` (after each wait; never two at once). A failed run is logged
 * with `failure` and retried on the next interval.
 */
export function every(
  intervalMs: number,
  task: () => Promise<unknown>,
  logger: Logger,
  failure: string,
): Periodic {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      if (stopped) break;
      try {
        await task();
      } catch (error) {
        logger.warn({ err: error }, failure);
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
