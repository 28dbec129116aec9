import type { LedgerEntry } from "../domain/ledger.ts";
import type { PaymentMethod } from "../domain/payment-method.ts";
import type {
  Instructions,
  NotificationOutcome,
  PaymentRecord,
  ReconciliationReport,
  RefundRecord,
  SandboxSession,
  VerifiedNotification,
} from "./model.ts";

/** Changes to a locked payment. */
export interface PaymentChanges {
  status: PaymentRecord["status"];
  statusReason?: string;
  captured?: number;
  refunded?: number;
  paidAt?: Date;
}

/** Writes inside one transaction: state, ledger, outbox events and timers commit together. */
export interface PaymentTx {
  payments: {
    /** Inserts a new payment; false (nothing written) when its checkout already has one. */
    insert(payment: PaymentRecord): Promise<boolean>;
    /** Locks the payment row for the rest of the transaction. */
    lock(id: string): Promise<PaymentRecord | null>;
    /** Locks several payment rows (in id order), by id; unknown ids are left out. */
    lockMany(ids: readonly string[]): Promise<Map<string, PaymentRecord>>;
    update(id: string, changes: PaymentChanges): Promise<void>;
  };
  refunds: {
    of(paymentId: string): Promise<RefundRecord[]>;
    byId(id: string): Promise<RefundRecord | null>;
    insert(refund: RefundRecord): Promise<void>;
  };
  notifications: {
    /**
     * Records each signature and looks each notification up, in one step: "replay" when its
     * signature was seen before, "seen" when (provider, id) was handled before, else "new".
     * In the same step it locks the payments of the "new" ones (in id order, as `lockMany`) and
     * returns them by id; an unknown payment is left out.
     */
    admit(notifications: readonly VerifiedNotification[]): Promise<{
      admitted: ("replay" | "seen" | "new")[];
      locked: Map<string, PaymentRecord>;
    }>;
    /**
     * Records handled notifications; returns the keys (`provider/id`) it wrote — one that a
     * concurrent delivery recorded first is left out.
     */
    record(
      handled: readonly { notification: VerifiedNotification; outcome: NotificationOutcome }[],
    ): Promise<Set<string>>;
  };
  ledger: {
    /** Appends a balanced entry (the database refuses an unbalanced one at commit). */
    post(paymentId: string, entry: LedgerEntry): Promise<void>;
  };
  events: PaymentEvents;
  timers: {
    /** Runs the expiry of the payment at `at` (durable). */
    expireAt(paymentId: string, at: Date): Promise<void>;
    cancelExpiry(paymentId: string): Promise<void>;
  };
}

/** Integration events, written to the outbox of the current transaction. */
export interface PaymentEvents {
  succeeded(payment: PaymentRecord): Promise<void>;
  failed(payment: PaymentRecord, reason: string, at: Date): Promise<void>;
  expired(payment: PaymentRecord, at: Date): Promise<void>;
  refundSucceeded(payment: PaymentRecord, refund: RefundRecord, refundedTotal: number): Promise<void>;
}

export interface UnitOfWork {
  run<T>(fn: (tx: PaymentTx) => Promise<T>): Promise<T>;
}

/** Reads outside transactions. */
export interface PaymentReads {
  payment(id: string): Promise<PaymentRecord | null>;
  byCheckout(checkoutId: string): Promise<PaymentRecord | null>;
  refunds(paymentId: string): Promise<RefundRecord[]>;
  reconciliation(from: Date | null, to: Date | null): Promise<ReconciliationReport>;
}

/** What the provider needs to open a charge. */
export interface Charge {
  paymentId: string;
  payerId: string;
  amount: number;
  method: PaymentMethod;
  channel: string;
  expiresAt: Date;
}

/**
 * A payment gateway (Midtrans, Xendit, the built-in sandbox). `open` may call the provider and
 * is never called inside a transaction; `refund` is: a remote provider records the request on
 * its side and confirms later, the sandbox settles at once.
 */
export interface PaymentProvider {
  readonly name: string;
  open(charge: Charge): Promise<{ reference: string; instructions: Instructions }>;
  refund(request: { paymentId: string; reference: string; refundId: string; amount: number }): {
    reference: string;
  };
  /** Checks a webhook's signature and freshness; UNAUTHENTICATED WEBHOOK_REJECTED otherwise. */
  verify(headers: Record<string, string>, rawBody: Buffer, now: Date): VerifiedNotification;
}

/** The sandbox provider's controls (development and tests only). */
export interface SandboxControls {
  /** Makes the sandbox notify the webhook of `outcome` (asynchronously, durably). */
  simulate(paymentId: string, outcome: "success" | "failure"): Promise<void>;
  /** The hosted page of a session token; null for a token that is not the sandbox's. */
  session(token: string): Promise<SandboxSession | null>;
  act(
    token: string,
    action: { kind: string; cardBrand: string; cardLast4: string; otp: string },
  ): Promise<SandboxSession | null>;
}

export interface Clock {
  now(): Date;
}
