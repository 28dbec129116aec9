/** One step of a throttled campaign send. */
export interface SendStep {
  /** Recipients to queue in this step. */
  batch: number;
  /** When the next step may run. */
  nextAt: Date;
}

/**
 * Paces a campaign at `ratePerSecond`: steps of at most `maxBatch` recipients, each followed by
 * the time those recipients are worth at the rate (so a step of 50 at 100/s waits 0.5 s).
 */
export function sendStep(ratePerSecond: number, maxBatch: number, now: Date): SendStep {
  const rate = Math.max(1, ratePerSecond);
  const batch = Math.max(1, Math.min(maxBatch, rate));
  return { batch, nextAt: new Date(now.getTime() + Math.ceil((batch * 1000) / rate)) };
}
