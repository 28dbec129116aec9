import type { PaymentDeps } from "./deps.ts";
import type { VerifiedNotification } from "./model.ts";
import {
  handleNotification,
  type NotificationResult,
  replayRejected,
  verifyNotification,
} from "./notifications.ts";

interface Waiting {
  notification: VerifiedNotification;
  resolve(result: NotificationResult): void;
  reject(error: unknown): void;
}

export interface IntakeOptions {
  /** Notifications handled in one transaction at most. */
  maxBatch: number;
  /** Transactions running at once. */
  maxConcurrent: number;
}

/**
 * Webhook intake with group commit. Every commit of a transaction that writes the outbox waits
 * for PostgreSQL's NOTIFY lock and a WAL flush, one commit at a time, so under a burst of
 * notifications the commits, not the work, would set the pace. While `maxConcurrent`
 * transactions run, arriving notifications queue and the next transaction takes up to
 * `maxBatch` of them at once (ordered by payment, so two transactions always lock payments in
 * the same order). A lone notification runs alone at once. If a shared transaction fails, each
 * of its notifications is retried in a transaction of its own, so one bad notification never
 * fails another.
 */
export function notificationIntake(deps: PaymentDeps, options: IntakeOptions) {
  const queue: Waiting[] = [];
  let running = 0;

  const runAlone = (item: Waiting) =>
    deps.uow.run((tx) => handleNotification(deps, tx, item.notification)).then(item.resolve, item.reject);

  async function runBatch(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return runAlone(batch[0] as Waiting);
    try {
      const results = await deps.uow.run(async (tx) => {
        const out: NotificationResult[] = [];
        for (const item of batch) out.push(await handleNotification(deps, tx, item.notification));
        return out;
      });
      for (const [i, item] of batch.entries()) item.resolve(results[i] as NotificationResult);
    } catch {
      for (const item of batch) await runAlone(item);
    }
  }

  function pump(): void {
    while (running < options.maxConcurrent && queue.length > 0) {
      const batch = queue
        .splice(0, options.maxBatch)
        .sort((a, b) => (a.notification.paymentId < b.notification.paymentId ? -1 : 1));
      running++;
      void runBatch(batch).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    /** Verifies and handles a webhook as received; a replay is UNAUTHENTICATED WEBHOOK_REJECTED. */
    async receive(
      provider: string,
      rawBody: Buffer,
      headers: Record<string, string>,
    ): Promise<{ duplicate: boolean }> {
      const notification = verifyNotification(deps, provider, rawBody, headers);
      const result = await new Promise<NotificationResult>((resolve, reject) => {
        queue.push({ notification, resolve, reject });
        pump();
      });
      if (result === "replay") throw replayRejected();
      return { duplicate: result === "duplicate" };
    },
  };
}

/** Webhook intake as the transport sees it. */
export type NotificationIntake = ReturnType<typeof notificationIntake>;
