import type {
  Instructions as InstructionsProto,
  Payment as PaymentProto,
  Refund as RefundProto,
  ReconciliationReport as ReportProto,
  SandboxSession as SessionProto,
} from "@toko/contracts/toko/payment/v1/payment";
import type {
  Instructions,
  PaymentRecord,
  ReconciliationReport,
  RefundRecord,
  SandboxSession,
} from "../application/model.ts";
import type { Allocation } from "../domain/payment.ts";

/** Rupiah as the proto's Money. */
export const idr = (amount: number) => ({ amount, currency: "IDR" });

export function instructionsToProto(i: Instructions): InstructionsProto {
  return {
    bank: i.bank ?? "",
    vaNumber: i.vaNumber ?? "",
    billerCode: i.billerCode ?? "",
    deeplinkUrl: i.deeplinkUrl ?? "",
    qrString: i.qrString ?? "",
    redirectUrl: i.redirectUrl ?? "",
    note: i.note ?? "",
  };
}

export function refundToProto(r: RefundRecord): RefundProto {
  return {
    id: r.id,
    orderId: r.orderId,
    amount: idr(r.amount),
    reason: r.reason,
    status: r.status,
    createdAt: r.createdAt,
  };
}

export function paymentToProto(p: PaymentRecord, refunds: readonly RefundRecord[]): PaymentProto {
  return {
    id: p.id,
    checkoutId: p.checkoutId,
    payerId: p.payerId,
    amount: idr(p.amount),
    method: p.method,
    channel: p.channel,
    status: p.status,
    instructions: instructionsToProto(p.instructions),
    expiresAt: p.expiresAt,
    allocations: p.allocations.map((a) => ({
      orderId: a.orderId,
      shopId: a.shopId,
      amount: idr(a.amount),
      commission: idr(a.commission),
    })),
    refunds: refunds.map(refundToProto),
    captured: idr(p.captured),
    refunded: idr(p.refunded),
    createdAt: p.createdAt,
    paidAt: p.paidAt ?? undefined,
    statusReason: p.statusReason,
  };
}

/** Allocations from the request; a missing amount becomes NaN so validation names the field. */
export function allocationsFromProto(
  list: readonly {
    orderId: string;
    shopId: string;
    amount?: { amount: number } | undefined;
    commission?: { amount: number } | undefined;
  }[],
): Allocation[] {
  return list.map((a) => ({
    orderId: a.orderId,
    shopId: a.shopId,
    amount: a.amount?.amount ?? Number.NaN,
    commission: a.commission?.amount ?? 0,
  }));
}

export function reportToProto(r: ReconciliationReport): ReportProto {
  return {
    from: r.from ?? undefined,
    to: r.to ?? undefined,
    notifications: r.notifications,
    notifiedCaptures: idr(r.notifiedCaptures),
    ledgerCaptures: idr(r.ledgerCaptures),
    ledgerRefunds: idr(r.ledgerRefunds),
    ledgerImbalance: r.ledgerImbalance,
    mismatches: r.mismatches.map((m) => ({
      paymentId: m.paymentId,
      notified: idr(m.notified),
      capturedInLedger: idr(m.capturedInLedger),
      problem: m.problem,
    })),
    balances: r.balances,
  };
}

export function sessionToProto(s: SandboxSession): SessionProto {
  return {
    paymentId: s.paymentId,
    method: s.method,
    channel: s.channel,
    amount: idr(s.amount),
    status: s.status,
    instructions: instructionsToProto(s.instructions),
    step: s.step,
    card: s.card,
    expiresAt: s.expiresAt,
  };
}
