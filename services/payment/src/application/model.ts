import type { PaymentState } from "../domain/payment.ts";

/** How to pay, per method (only the method's fields are set). */
export interface Instructions {
  bank?: string;
  vaNumber?: string;
  billerCode?: string;
  deeplinkUrl?: string;
  qrString?: string;
  redirectUrl?: string;
  note?: string;
}

/** A payment as stored. */
export interface PaymentRecord extends PaymentState {
  checkoutId: string;
  payerId: string;
  statusReason: string;
  provider: string;
  providerReference: string;
  instructions: Instructions;
  createdAt: Date;
  paidAt: Date | null;
}

export interface RefundRecord {
  id: string;
  paymentId: string;
  orderId: string;
  amount: number;
  reason: string;
  status: "SUCCEEDED";
  automatic: boolean;
  providerReference: string;
  createdAt: Date;
}

/** A provider notification that passed signature and freshness checks. */
export interface VerifiedNotification {
  provider: string;
  id: string;
  paymentId: string;
  event: "success" | "failure";
  amount: number;
  /** The signature as sent: the same signature twice is a replay. */
  signature: string;
  body: unknown;
}

/** What a notification did, kept for reconciliation. */
export type NotificationOutcome =
  | "received"
  | "captured"
  | "failed"
  | "refunded_late"
  | "ignored"
  | "amount_mismatch"
  | "unknown_payment";

export interface ReconciliationMismatch {
  paymentId: string;
  notified: number;
  capturedInLedger: number;
  problem: string;
}

/** Provider notifications against the ledger over [from, to). */
export interface ReconciliationReport {
  from: Date | null;
  to: Date | null;
  notifications: number;
  notifiedCaptures: number;
  ledgerCaptures: number;
  ledgerRefunds: number;
  ledgerImbalance: number;
  mismatches: ReconciliationMismatch[];
  balances: Record<string, number>;
}

/** The provider's hosted page for one charge (sandbox). */
export interface SandboxSession {
  paymentId: string;
  method: string;
  channel: string;
  amount: number;
  status: string;
  instructions: Instructions;
  step: "card" | "three_ds" | "confirm" | "done";
  card: string;
  expiresAt: Date;
}
