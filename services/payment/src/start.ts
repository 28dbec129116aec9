import { createHmac } from "node:crypto";
import { join } from "node:path";
import { bootstrapService, createDb, type Logger, type RunningService, uuidv7 } from "@toko/kit";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { PaymentDeps } from "./application/deps.ts";
import { notificationIntake } from "./application/notification-intake.ts";
import type { PaymentConfig } from "./config.ts";
import { pgPaymentReads } from "./infrastructure/pg-payment-reads.ts";
import { pgUnitOfWork } from "./infrastructure/pg-payment-tx.ts";
import { sandboxDeliveryTimer } from "./infrastructure/sandbox/delivery-timer.ts";
import { sandboxProvider } from "./infrastructure/sandbox/sandbox-provider.ts";
import type { PaymentDatabase } from "./infrastructure/schema.ts";
import { paymentGrpcService } from "./transport/grpc-payment-service.ts";
import { bufferedOutboxEvents } from "./transport/payment-events.ts";
import { paymentTimers } from "./transport/timers.ts";

/** The service's own SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** Seams for tests: a controllable clock, a quiet logger. */
export interface PaymentOverrides {
  now?: () => Date;
  logger?: Logger;
}

/** The webhook key: configured, or derived from the internal secret for development. */
export function webhookSecret(config: PaymentConfig): string {
  if (config.PAYMENT_WEBHOOK_SECRET) return config.PAYMENT_WEBHOOK_SECRET;
  if (!config.TOKO_INTERNAL_SECRET)
    throw new Error("PAYMENT_WEBHOOK_SECRET or TOKO_INTERNAL_SECRET must be set");
  return createHmac("sha256", config.TOKO_INTERNAL_SECRET)
    .update("toko.payment.sandbox-webhook")
    .digest("hex");
}

/** Builds the use-case dependencies over a database (also used by the reconciliation CLI). */
export function paymentDeps(
  db: Kysely<PaymentDatabase>,
  config: PaymentConfig,
  now: () => Date = () => new Date(),
): PaymentDeps {
  const sandbox = sandboxProvider({
    db,
    secret: webhookSecret(config),
    publicOrigin: config.TOKO_PUBLIC_ORIGIN.replace(/\/+$/, ""),
    toleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_S,
  });
  return {
    uow: pgUnitOfWork(db, bufferedOutboxEvents),
    reads: pgPaymentReads(db),
    provider: sandbox,
    sandbox: config.PAYMENT_SANDBOX ? sandbox : null,
    clock: { now },
    newPaymentId: () => `pay_${uuidv7().replaceAll("-", "")}`,
  };
}

/** Forgets accepted webhook signatures once they are too old to pass the freshness check anyway. */
function pruneSignatures(pool: pg.Pool, toleranceSeconds: number, logger: Logger): () => void {
  const timer = setInterval(() => {
    pool
      .query("DELETE FROM webhook_signatures WHERE received_at < now() - $1 * interval '2 seconds'", [
        toleranceSeconds,
      ])
      .catch((error: unknown) => logger.warn({ err: error }, "pruning webhook signatures failed"));
  }, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Wires the payment service through the kit's start-up path: migrations, outbox relay, the
 * durable timers (expiry; the sandbox provider's notification deliveries when the sandbox is
 * on), and gRPC.
 */
export function startPayment(
  config: PaymentConfig,
  overrides: PaymentOverrides = {},
): Promise<RunningService> {
  return bootstrapService<PaymentDatabase>(
    {
      name: "payment",
      config,
      migrationsDir,
      logger: overrides.logger,
      poolMax: config.DATABASE_POOL_SIZE,
    },
    async ({ pool, logger, startTimers, onClose }) => {
      const db = createDb<PaymentDatabase>(pool);
      const deps = paymentDeps(db, config, overrides.now);
      const delivery = config.PAYMENT_SANDBOX
        ? sandboxDeliveryTimer({
            db,
            logger,
            url:
              config.PAYMENT_WEBHOOK_URL ??
              `${config.TOKO_PUBLIC_ORIGIN.replace(/\/+$/, "")}/api/v1/payments/webhooks/sandbox`,
            secret: webhookSecret(config),
            timeoutMs: config.SANDBOX_DELIVERY_TIMEOUT_MS,
            retryMinMs: config.SANDBOX_RETRY_MIN_MS,
            retryMaxMs: config.SANDBOX_RETRY_MAX_MS,
            maxAttempts: config.SANDBOX_MAX_ATTEMPTS,
          })
        : undefined;
      onClose(pruneSignatures(pool, config.PAYMENT_WEBHOOK_TOLERANCE_S, logger));
      startTimers({
        ...paymentTimers(deps, config.TIMER_POLL_MS, delivery),
        // A claim outlives a delivery's longest call (it is renewed while the batch runs), and a
        // runner killed mid-call leaves its deliveries to the next one soon after.
        leaseMs: 2 * config.SANDBOX_DELIVERY_TIMEOUT_MS + 1_000,
      });
      const intake = notificationIntake(deps, {
        maxBatch: 64,
        // Leave connections for the other use cases and the timers (expiry, sandbox deliveries).
        maxConcurrent:
          config.PAYMENT_WEBHOOK_CONCURRENCY ?? Math.max(1, Math.floor(config.DATABASE_POOL_SIZE / 4)),
        collectMs: config.PAYMENT_WEBHOOK_COLLECT_MS,
      });
      return { services: [paymentGrpcService(deps, intake)], internalSecret: config.TOKO_INTERNAL_SECRET };
    },
  );
}
