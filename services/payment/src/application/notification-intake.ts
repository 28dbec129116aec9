import type { PaymentDeps } from "./deps.ts";
import type { VerifiedNotification } from "./model.ts";
import {
  handleNotifications,
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
  /**
   * While a transaction runs, how long arriving notifications may collect before another one
   * starts (a full batch starts at once); 0 starts one as soon as a slot is free.
   */
  collectMs: number;
}

/**
 * Webhook intake with group commit. Every commit of a transaction that writes the outbox waits
 * for PostgreSQL's NOTIFY lock and a WAL flush, one commit at a time, so under a burst of
 * notifications the commits, not the work, would set the pace. While `maxConcurrent`
 * transactions run, arriving notifications queue and the next transaction takes up to
 * `maxBatch` of them at once (ordered by payment, so two transactions always lock payments in
 * the same order). A lone notification runs alone at once; one arriving while another
 * transaction runs waits up to `collectMs` for others to share its transaction (group commit),
 * so under load batches grow instead of transactions multiplying. If a shared transaction fails, each
 * of its notifications is retried in a transaction of its own, so one bad notification never
 * fails another.
 */
export function notificationIntake(deps: PaymentDeps, options: IntakeOptions) {
  const queue: Waiting[] = [];
  let running = 0;

  const settle = (batch: Waiting[], results: NotificationResult[]) => {
    for (const [i, item] of batch.entries()) item.resolve(results[i] as NotificationResult);
  };
  const run = (batch: Waiting[]) =>
    deps.uow.run((tx) =>
      handleNotifications(
        deps,
        tx,
        batch.map((item) => item.notification),
      ),
    );

  async function runBatch(batch: Waiting[]): Promise<void> {
    try {
      settle(batch, await run(batch));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // A shared transaction failed as a whole: each notification alone, so one cannot fail another.
      for (const item of batch) await run([item]).then((results) => settle([item], results), item.reject);
    }
  }

  let collecting: ReturnType<typeof setTimeout> | undefined;
  function pump(collected = false): void {
    while (running < options.maxConcurrent && queue.length > 0) {
      if (!collected && running > 0 && queue.length < options.maxBatch && options.collectMs > 0) {
        collecting ??= setTimeout(() => {
          collecting = undefined;
          pump(true);
        }, options.collectMs);
        return;
      }
      clearTimeout(collecting);
      collecting = undefined;
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
