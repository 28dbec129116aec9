import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { bootstrapService, createDb, type Logger, type RunningService, uuidv7 } from "@toko/kit";
import type { Channels, NotificationDeps, NotificationSettings } from "./application/ports.ts";
import type { NotificationConfig } from "./config.ts";
import { UnsubscribeTokens } from "./domain/unsubscribe.ts";
import { devMailCatcher } from "./infrastructure/dev-mail-catcher.ts";
import { remoteDirectory } from "./infrastructure/directory.ts";
import { pgReads } from "./infrastructure/pg-reads.ts";
import { pgUnitOfWork } from "./infrastructure/pg-tx.ts";
import type { NotificationDatabase } from "./infrastructure/schema.ts";
import { smsSandbox } from "./infrastructure/sms-sandbox.ts";
import { smtpEmail } from "./infrastructure/smtp-email.ts";
import { subscribeEvents } from "./transport/event-handlers.ts";
import { notificationGrpcService } from "./transport/grpc-notification-service.ts";
import { notificationTimers } from "./transport/timers.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock and a quiet logger. */
export interface NotificationOverrides {
  now?: () => Date;
  logger?: Logger;
}

/** The operator's rules from the configuration. */
export function notificationSettings(config: NotificationConfig): NotificationSettings {
  const origin = config.TOKO_PUBLIC_ORIGIN.replace(/\/+$/, "");
  return {
    publicOrigin: origin,
    unsubscribeUrl: `${origin}/api/v1/notifications/unsubscribe`,
    sealingPrivateKey: config.TOKO_NOTIFICATION_PRIVATE_KEY,
    campaignRatePerSecond: config.CAMPAIGN_RATE_PER_SECOND,
    campaignMaxBatch: config.CAMPAIGN_MAX_BATCH,
    maxAttempts: { email: config.EMAIL_MAX_ATTEMPTS, sms: config.SMS_MAX_ATTEMPTS },
    development: config.TOKO_ENV === "development",
  };
}

/**
 * Wires the notification service through the kit's start-up path: migrates, starts the event
 * consumers (user, order, payment, shipping,
 * inventory), the delivery and campaign timers, and serves
 * gRPC plus the ops port.
 */
export function startNotification(
  config: NotificationConfig,
  overrides: NotificationOverrides = {},
): Promise<RunningService> {
  return bootstrapService<NotificationDatabase>(
    {
      name: "notification",
      config,
      migrationsDir,
      logger: overrides.logger,
      poolMax: config.DATABASE_POOL_SIZE,
    },
    async ({ pool, startConsumers, startTimers, onClose }) => {
      const db = createDb<NotificationDatabase>(pool);
      const now = overrides.now ?? (() => new Date());
      const secret = config.TOKO_INTERNAL_SECRET;
      const directory = remoteDirectory(
        { user: config.TOKO_USER_ADDR, product: config.TOKO_PRODUCT_ADDR, payment: config.TOKO_PAYMENT_ADDR },
        secret,
      );
      onClose(() => directory.close());
      let email: Channels["email"];
      if (config.SMTP_URL) {
        const smtp = smtpEmail(config.SMTP_URL, config.SMTP_FROM);
        onClose(() => smtp.close());
        email = smtp;
      } else {
        // Development without a mail server (config refuses this elsewhere): the mail catcher.
        email = devMailCatcher(db, now);
      }
      const deps: NotificationDeps = {
        uow: pgUnitOfWork(db),
        reads: pgReads(db),
        directory,
        catalog: directory,
        channels: { email, sms: smsSandbox(db, now) },
        clock: { now },
        newId: () => uuidv7(),
        settings: notificationSettings(config),
        // Without a secret (development only) links are signed with a key that lasts this process.
        unsubscribe: new UnsubscribeTokens(secret ?? randomBytes(32).toString("hex")),
      };
      for (const tuning of notificationTimers(deps, {
        email: {
          maxAttempts: config.EMAIL_MAX_ATTEMPTS,
          retryMinMs: config.EMAIL_RETRY_MIN_MS,
          retryMaxMs: config.EMAIL_RETRY_MAX_MS,
        },
        sms: {
          maxAttempts: config.SMS_MAX_ATTEMPTS,
          retryMinMs: config.SMS_RETRY_MIN_MS,
          retryMaxMs: config.SMS_RETRY_MAX_MS,
        },
      })) {
        startTimers(tuning);
      }
      await startConsumers((consumers) => subscribeEvents(consumers, deps, config.EVENT_BATCH_SIZE));
      return { services: [notificationGrpcService(deps)], internalSecret: secret };
    },
  );
}
