import { scheduleTimer, type Transaction } from "@toko/kit";
import type { UserDatabase } from "../infrastructure/db-schema.ts";
import type { UserDeps } from "./deps.ts";

/** The durable timer that prunes, rescheduling itself (one replica runs it at a time). */
export const PRUNE_TIMER = { kind: "user.prune", key: "all" } as const;

/** How long spent records are kept. */
export interface RetentionSettings {
  /** Used or expired tokens are deleted this long after they were used or expired. */
  tokenRetentionMs: number;
  /** How often the prune runs. */
  pruneEveryMs: number;
}

/** What one prune removed. */
export interface PruneResult {
  tokens: number;
  loginFailures: number;
}

/**
 * Deletes what no rule reads any more: tokens used or expired longer ago than the retention,
 * and login-failure records quiet for longer than the lockout's reset window (the lockout
 * treats them as zero already) and no longer locked.
 */
export async function pruneSpentRecords(
  trx: Transaction<UserDatabase>,
  deps: Pick<UserDeps, "clock" | "settings">,
): Promise<PruneResult> {
  const now = deps.clock().getTime();
  const tokensBefore = new Date(now - deps.settings.retention.tokenRetentionMs);
  const tokens = await trx
    .deleteFrom("user_tokens")
    .where((eb) => eb.or([eb("used_at", "<", tokensBefore), eb("expires_at", "<", tokensBefore)]))
    .executeTakeFirst();
  const quietBefore = new Date(now - deps.settings.lockout.account.resetAfterMs);
  const failures = await trx
    .deleteFrom("login_failures")
    .where("last_failure_at", "<", quietBefore)
    .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", quietBefore)]))
    .executeTakeFirst();
  return { tokens: Number(tokens.numDeletedRows), loginFailures: Number(failures.numDeletedRows) };
}

/** Prunes, then schedules the next prune, in the timer's transaction. */
export async function pruneAndReschedule(
  trx: Transaction<UserDatabase>,
  deps: Pick<UserDeps, "clock" | "settings">,
): Promise<PruneResult> {
  const result = await pruneSpentRecords(trx, deps);
  await scheduleTimer(trx, {
    ...PRUNE_TIMER,
    at: new Date(Date.now() + deps.settings.retention.pruneEveryMs),
  });
  return result;
}
