import { DomainError, errors, type FieldViolation } from "@toko/kit/errors";

/** Who funds a voucher: the platform (any shop) or one shop (its own lines). */
export type VoucherScope = "platform" | "shop";
/** Percent of the eligible amount (floored, capped), a fixed amount, or shipping off. */
export type VoucherKind = "percent" | "fixed" | "free_shipping";

/** A voucher's terms. Amounts in rupiah; `endsAt` is exclusive. */
export interface VoucherTerms {
  code: string;
  scope: VoucherScope;
  /** Set for shop vouchers. */
  shopId: string | null;
  kind: VoucherKind;
  /** 1–100 for percent vouchers, else 0. */
  percentOff: number;
  /** Fixed amount off, or the cap of a free-shipping voucher. */
  amount: number;
  /** Cap of a percent voucher; null = uncapped. */
  maxDiscount: number | null;
  minSpend: number;
  startsAt: Date;
  endsAt: Date;
  /** null = unlimited. */
  totalLimit: number | null;
  perUserLimit: number | null;
}

/** How much of a voucher is taken: by everyone, and by the buyer in question. */
export interface VoucherUsage {
  used: number;
  usedByUser: number;
}

/** Why a voucher does not apply (the public reason codes). */
export type VoucherProblem =
  | "VOUCHER_NOT_FOUND"
  | "VOUCHER_NOT_STARTED"
  | "VOUCHER_EXPIRED"
  | "VOUCHER_USED_UP"
  | "VOUCHER_MIN_SPEND"
  | "VOUCHER_NOT_APPLICABLE"
  | "VOUCHER_NOT_COMBINABLE";

const messages: Record<VoucherProblem, string> = {
  VOUCHER_NOT_FOUND: "no voucher has this code",
  VOUCHER_NOT_STARTED: "the voucher is not valid yet",
  VOUCHER_EXPIRED: "the voucher has expired",
  VOUCHER_USED_UP: "the voucher has been used up",
  VOUCHER_MIN_SPEND: "the cart does not reach the voucher's minimum spend",
  VOUCHER_NOT_APPLICABLE: "the voucher's shop has nothing in this cart",
  VOUCHER_NOT_COMBINABLE: "the cart already has a voucher of this kind",
};

/** The refusal for a voucher problem: 422-kind with the reason as its code, field `code`. */
export function voucherRefusal(problem: VoucherProblem, code: string): DomainError {
  return new DomainError("invalid", problem, `${messages[problem]}: ${code}`, [
    { field: "code", message: messages[problem] },
  ]);
}

/** Normalises a voucher code as entered: trimmed, upper case. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

const CODE = /^[A-Z0-9][A-Z0-9-]{2,31}$/;

/** Whether a normalised code has the allowed shape (3–32 letters, digits, dashes). */
export function isVoucherCode(code: string): boolean {
  return CODE.test(code);
}

/** Window and usage: the problems that do not depend on the cart's contents. */
export function availabilityProblem(v: VoucherTerms, usage: VoucherUsage, now: Date): VoucherProblem | null {
  if (now.getTime() < v.startsAt.getTime()) return "VOUCHER_NOT_STARTED";
  if (now.getTime() >= v.endsAt.getTime()) return "VOUCHER_EXPIRED";
  if (v.totalLimit !== null && usage.used >= v.totalLimit) return "VOUCHER_USED_UP";
  if (v.perUserLimit !== null && usage.usedByUser >= v.perUserLimit) return "VOUCHER_USED_UP";
  return null;
}

/**
 * The stacking rule: at most one platform discount voucher (percent or fixed), one
 * free-shipping voucher and one voucher per shop. The slot a voucher takes.
 */
export function stackingSlot(v: Pick<VoucherTerms, "scope" | "kind" | "shopId">): string {
  if (v.kind === "free_shipping") return "shipping";
  return v.scope === "platform" ? "platform" : `shop:${v.shopId}`;
}

/** Validates a new voucher's terms; VALIDATION_FAILED naming every bad field. */
export function validateVoucherTerms(v: VoucherTerms): void {
  const bad: FieldViolation[] = [];
  if (!isVoucherCode(v.code)) bad.push({ field: "code", message: "3–32 letters, digits or dashes" });
  if (v.scope === "shop" && v.kind === "free_shipping")
    bad.push({ field: "kind", message: "free-shipping vouchers are platform vouchers" });
  if (v.kind === "percent") {
    if (!Number.isInteger(v.percentOff) || v.percentOff < 1 || v.percentOff > 100)
      bad.push({ field: "percent_off", message: "must be 1–100" });
    if (v.maxDiscount !== null && (!Number.isSafeInteger(v.maxDiscount) || v.maxDiscount < 1))
      bad.push({ field: "max_discount", message: "must be a positive amount" });
  } else if (!Number.isSafeInteger(v.amount) || v.amount < 1) {
    bad.push({ field: "amount", message: "must be a positive amount" });
  }
  if (!Number.isSafeInteger(v.minSpend) || v.minSpend < 0)
    bad.push({ field: "min_spend", message: "must be zero or more" });
  if (Number.isNaN(v.startsAt.getTime())) bad.push({ field: "starts_at", message: "must be a time" });
  if (Number.isNaN(v.endsAt.getTime()) || !(v.endsAt.getTime() > v.startsAt.getTime()))
    bad.push({ field: "ends_at", message: "must be after starts_at" });
  for (const [field, limit] of [
    ["total_limit", v.totalLimit],
    ["per_user_limit", v.perUserLimit],
  ] as const) {
    if (limit !== null && (!Number.isInteger(limit) || limit < 1))
      bad.push({ field, message: "must be a positive whole number (or absent for no limit)" });
  }
  if (bad.length > 0) throw errors.invalid("invalid voucher", bad);
}
