import type { TimerTuning } from "@toko/kit";
import { recordSegment, resolveSegment, sendCampaignStep } from "../application/campaigns.ts";
import {
  type DeliveryOutcome,
  recordDelivery,
  recordPayer,
  recordShopOwner,
  resolvePayer,
  resolveShopOwner,
  sendDelivery,
} from "../application/deliver.ts";
import type { NotificationDeps, Payer } from "../application/ports.ts";
import { notificationTx, TIMERS } from "../infrastructure/pg-tx.ts";
import type { NotificationDatabase } from "../infrastructure/schema.ts";

/** Per-channel retry policy (each channel has its own timer runner). */
export interface RetryPolicy {
  maxAttempts: number;
  retryMinMs: number;
  retryMaxMs: number;
}

function deliverHandler(deps: NotificationDeps) {
  return {
    remote: (timer: { key: string; attempt: number }) => sendDelivery(deps, timer.key, timer.attempt),
    record: (timer: { key: string }, result: DeliveryOutcome, trx: Parameters<typeof notificationTx>[0]) =>
      recordDelivery(notificationTx(trx), timer.key, result, deps.clock.now()),
  };
}

/**
 * The service's timers, as separate runners so each channel retries with its own backoff and
 * dead-letters after its own number of attempts: email, SMS, and the rest (shop owners,
 * payers, campaigns).
 */
export function notificationTimers(
  deps: NotificationDeps,
  policies: { email: RetryPolicy; sms: RetryPolicy },
): TimerTuning<NotificationDatabase>[] {
  return [
    { ...policies.email, handlers: { [TIMERS.deliverEmail]: deliverHandler(deps) } },
    { ...policies.sms, handlers: { [TIMERS.deliverSms]: deliverHandler(deps) } },
    {
      handlers: {
        [TIMERS.resolveShop]: {
          remote: (timer) => resolveShopOwner(deps, timer.key),
          record: (timer, ownerId: string | undefined, trx) =>
            recordShopOwner(deps, notificationTx(trx), timer.key, ownerId),
        },
        [TIMERS.resolvePayer]: {
          remote: (timer) => resolvePayer(deps, timer.key),
          record: (timer, payer: Payer | undefined, trx) =>
            recordPayer(deps, notificationTx(trx), timer.key, payer),
        },
        [TIMERS.resolveCampaign]: {
          remote: (timer) => resolveSegment(deps, timer.key),
          record: (timer, userIds: string[] | undefined, trx) =>
            recordSegment(notificationTx(trx), timer.key, userIds, deps.clock.now()),
        },
        // Database only: one throttled step per run, in the transaction that completes the timer.
        [TIMERS.sendCampaign]: (timer, trx) => sendCampaignStep(deps, notificationTx(trx), timer.key),
      },
    },
  ];
}
