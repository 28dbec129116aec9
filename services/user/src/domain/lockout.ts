/** How one scope (an account or a client address) is throttled after failed sign-ins. */
export interface LockoutPolicy {
  /** Failures in a row before the first lock. */
  threshold: number;
  /** Length of the first lock; every further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Quiet time after which the count starts again from zero. */
  resetAfterMs: number;
}

/** Recent failures of one scope. */
export interface FailureRecord {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date | null;
}

/** Milliseconds until the scope may try again; 0 when it is not locked. */
export function remainingLockMs(record: FailureRecord | undefined, now: Date): number {
  if (!record?.lockedUntil) return 0;
  return Math.max(0, record.lockedUntil.getTime() - now.getTime());
}

/**
 * The record after one more failure. Once `threshold` failures accumulate, each failure locks
 * the scope for `baseDelayMs * 2^(failures - threshold)` (capped), so guessing slows down
 * exponentially while a person who mistyped a few times is never locked.
 */
export function recordFailure(
  record: FailureRecord | undefined,
  now: Date,
  policy: LockoutPolicy,
): FailureRecord {
  const quietSince = Math.max(record?.lastFailureAt.getTime() ?? 0, record?.lockedUntil?.getTime() ?? 0);
  const stale = !record || now.getTime() - quietSince > policy.resetAfterMs;
  const failures = (stale ? 0 : record.failures) + 1;
  if (failures < policy.threshold) return { failures, lastFailureAt: now, lockedUntil: null };
  const delay = Math.min(
    policy.baseDelayMs * 2 ** Math.min(failures - policy.threshold, 30),
    policy.maxDelayMs,
  );
  return { failures, lastFailureAt: now, lockedUntil: new Date(now.getTime() + delay) };
}
