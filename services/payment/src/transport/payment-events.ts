import {
  PaymentExpired,
  PaymentFailed,
  PaymentSucceeded,
  RefundSucceeded,
} from "@toko/contracts/toko/payment/v1/events";
import { createOutbox, type NewEvent, protoEvent } from "@toko/kit";
import type { Transaction } from "kysely";
import type { PaymentEvents } from "../application/ports.ts";
import type { PaymentDatabase } from "../infrastructure/schema.ts";
import { idr } from "./mapping.ts";

const outbox = createOutbox("payment");
const type = (name: string) => `toko.payment.v1.${name}`;

/** The payment service's integration events, written to the outbox of `trx` (subject = payment id). */
export function outboxEvents(trx: Transaction<PaymentDatabase>): PaymentEvents {
  return paymentEvents(async (event) => {
    await outbox.add(trx, [event]);
  });
}

/**
 * The events of one transaction, kept until `flush` writes them to its outbox in one statement
 * (a transaction handling many notifications writes many events).
 */
export function bufferedOutboxEvents(trx: Transaction<PaymentDatabase>): {
  events: PaymentEvents;
  flush(): Promise<void>;
} {
  const pending: NewEvent[] = [];
  return {
    events: paymentEvents(async (event) => {
      pending.push(event);
    }),
    async flush() {
      if (pending.length > 0) await outbox.add(trx, pending.splice(0));
    },
  };
}

function paymentEvents(add: (event: NewEvent) => Promise<void>): PaymentEvents {
  return {
    succeeded: (p) =>
      add(
        protoEvent(type("PaymentSucceeded"), p.id, PaymentSucceeded, {
          paymentId: p.id,
          checkoutId: p.checkoutId,
          payerId: p.payerId,
          amount: idr(p.amount),
          method: p.method,
          channel: p.channel,
          paidAt: p.paidAt ?? new Date(),
        }),
      ),
    failed: (p, reason, at) =>
      add(
        protoEvent(type("PaymentFailed"), p.id, PaymentFailed, {
          paymentId: p.id,
          checkoutId: p.checkoutId,
          reason,
          failedAt: at,
        }),
      ),
    expired: (p, at) =>
      add(
        protoEvent(type("PaymentExpired"), p.id, PaymentExpired, {
          paymentId: p.id,
          checkoutId: p.checkoutId,
          expiresAt: p.expiresAt,
          expiredAt: at,
        }),
      ),
    refundSucceeded: (p, r, total) =>
      add(
        protoEvent(type("RefundSucceeded"), p.id, RefundSucceeded, {
          refundId: r.id,
          paymentId: p.id,
          checkoutId: p.checkoutId,
          orderId: r.orderId,
          amount: idr(r.amount),
          refundedTotal: idr(total),
          reason: r.reason,
          automatic: r.automatic,
          refundedAt: r.createdAt,
        }),
      ),
  };
}
