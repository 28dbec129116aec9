import { DomainError } from "@toko/kit/errors";
import type { Allocation } from "./payment.ts";

/**
 * Ledger accounts. Debits are positive, credits negative:
 * - `provider_clearing`: buyers' money held by the payment provider for Toko (asset);
 * - `cod_clearing`: cash couriers collected on delivery and owe Toko (asset);
 * - `seller_payable:<shop>`: what Toko owes a shop (liability);
 * - `platform_commission`: Toko's commission (revenue);
 * - `refunds_payable`: money owed back to buyers that no order keeps (liability).
 */
export const ACCOUNTS = {
  providerClearing: "provider_clearing",
  codClearing: "cod_clearing",
  platformCommission: "platform_commission",
  refundsPayable: "refunds_payable",
  sellerPayable: (shopId: string) => `seller_payable:${shopId}`,
} as const;

export interface Posting {
  account: string;
  amount: number;
}

export type LedgerKind = "capture" | "refund" | "late_capture" | "late_refund" | "cod_settlement";

/** One balanced ledger transaction. */
export interface LedgerEntry {
  kind: LedgerKind;
  /** What caused it: a notification id, a refund id. */
  reference: string;
  postings: Posting[];
}

/** Builds an entry, refusing postings that do not sum to zero (or carry zero or fractions). */
export function ledgerEntry(kind: LedgerKind, reference: string, postings: Posting[]): LedgerEntry {
  const kept = postings.filter((p) => p.amount !== 0);
  let net = 0;
  for (const p of kept) {
    if (!Number.isSafeInteger(p.amount)) throw imbalance(`posting to ${p.account} is not whole rupiah`);
    net += p.amount;
  }
  if (net !== 0) throw imbalance(`${kind} ${reference} does not balance (net ${net})`);
  if (kept.length < 2) throw imbalance(`${kind} ${reference} needs two sides`);
  return { kind, reference, postings: kept };
}

function imbalance(message: string): DomainError {
  return new DomainError("failed_precondition", "LEDGER_UNBALANCED", message);
}

/** Splits an allocation's money between its shop and the platform. */
function creditsFor(allocations: readonly Allocation[]): Posting[] {
  const postings: Posting[] = [];
  let commission = 0;
  for (const a of allocations) {
    postings.push({ account: ACCOUNTS.sellerPayable(a.shopId), amount: -(a.amount - a.commission) });
    commission += a.commission;
  }
  postings.push({ account: ACCOUNTS.platformCommission, amount: -commission });
  return postings;
}

/** A captured payment: the provider holds the money, owed to the shops and the platform. */
export function captureEntry(
  reference: string,
  amount: number,
  allocations: readonly Allocation[],
): LedgerEntry {
  return ledgerEntry("capture", reference, [
    { account: ACCOUNTS.providerClearing, amount },
    ...creditsFor(allocations),
  ]);
}

/** COD collected: the courier owes the cash, owed on to the shops and the platform. */
export function codSettlementEntry(
  reference: string,
  amount: number,
  allocations: readonly Allocation[],
): LedgerEntry {
  return ledgerEntry("cod_settlement", reference, [
    { account: ACCOUNTS.codClearing, amount },
    ...creditsFor(allocations),
  ]);
}

/**
 * A refund of part of one allocation: the shop and the platform give back their shares (the
 * commission in proportion, rounded down so the shop never pays more than its share) and the
 * money leaves the account it came in through.
 */
export function refundEntry(
  reference: string,
  amount: number,
  allocation: Allocation,
  source: string,
): LedgerEntry {
  const commissionBack = Number((BigInt(amount) * BigInt(allocation.commission)) / BigInt(allocation.amount));
  return ledgerEntry("refund", reference, [
    { account: ACCOUNTS.sellerPayable(allocation.shopId), amount: amount - commissionBack },
    { account: ACCOUNTS.platformCommission, amount: commissionBack },
    { account: source, amount: -amount },
  ]);
}

/** Money for a payment given up (expired, declined): held for the buyer, then returned. */
export function lateCaptureEntries(notificationId: string, refundId: string, amount: number): LedgerEntry[] {
  return [
    ledgerEntry("late_capture", notificationId, [
      { account: ACCOUNTS.providerClearing, amount },
      { account: ACCOUNTS.refundsPayable, amount: -amount },
    ]),
    ledgerEntry("late_refund", refundId, [
      { account: ACCOUNTS.refundsPayable, amount },
      { account: ACCOUNTS.providerClearing, amount: -amount },
    ]),
  ];
}
