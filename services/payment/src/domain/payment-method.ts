import { errors } from "@toko/kit/errors";

/** How a buyer pays; the public API's names. */
export type PaymentMethod = "bank_transfer_va" | "ewallet" | "credit_card" | "cod";

/** Banks offering virtual accounts, and the e-wallets. */
export const VA_BANKS = ["bca", "bni", "bri", "mandiri", "permata"] as const;
export const EWALLETS = ["gopay", "ovo", "dana", "shopeepay"] as const;
export type VaBank = (typeof VA_BANKS)[number];
export type Ewallet = (typeof EWALLETS)[number];

/** The bank or e-wallet of a method; empty for card and COD. */
export type Channel = VaBank | Ewallet | "";

const CHANNELS: Record<PaymentMethod, readonly string[]> = {
  bank_transfer_va: VA_BANKS,
  ewallet: EWALLETS,
  credit_card: [""],
  cod: [""],
};

/** A valid (method, channel) pair, or VALIDATION_FAILED naming the field at fault. */
export function checkMethod(method: string, channel: string): { method: PaymentMethod; channel: Channel } {
  if (!Object.hasOwn(CHANNELS, method)) {
    throw errors.invalid("unknown payment method", [
      { field: "method", message: `must be one of ${Object.keys(CHANNELS).join(", ")}` },
    ]);
  }
  const m = method as PaymentMethod;
  const allowed = CHANNELS[m];
  const c = channel.trim().toLowerCase();
  if (!allowed.includes(c)) {
    const message =
      allowed[0] === "" ? `must be empty for ${m}` : `must be one of ${allowed.join(", ")} for ${m}`;
    throw errors.invalid("unknown channel for the payment method", [{ field: "channel", message }]);
  }
  return { method: m, channel: c as Channel };
}

/** Whether the payment waits for a provider (and so expires); COD waits for the courier. */
export function expiresUnpaid(method: PaymentMethod): boolean {
  return method !== "cod";
}
