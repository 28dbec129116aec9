import { randomInt } from "node:crypto";
import type { VaBank } from "../../domain/payment-method.ts";

/**
 * How each bank builds a virtual account number: the company (biller) code the bank assigned the
 * merchant, then a customer number of fixed length. The codes below are the sandbox's own.
 * - BCA: 5-digit company code + 11-digit customer number (16 digits);
 * - BNI (eCollection): "988" + 5-digit client id + 8-digit customer number (16 digits);
 * - BRI (BRIVA): 5-digit institution code + 10-digit customer number (15 digits);
 * - Mandiri (bill payment): a 5-digit biller code shown apart, and a 12-digit bill key;
 * - Permata: 4-digit prefix + 12-digit customer number (16 digits).
 */
export const VA_FORMATS: Record<VaBank, { prefix: string; customerDigits: number; separateBiller: boolean }> =
  {
    bca: { prefix: "39358", customerDigits: 11, separateBiller: false },
    bni: { prefix: "98812345", customerDigits: 8, separateBiller: false },
    bri: { prefix: "26215", customerDigits: 10, separateBiller: false },
    mandiri: { prefix: "70012", customerDigits: 12, separateBiller: true },
    permata: { prefix: "8528", customerDigits: 12, separateBiller: false },
  };

function digits(count: number): string {
  let out = "";
  while (out.length < count) out += String(randomInt(0, 1_000_000)).padStart(6, "0");
  return out.slice(0, count);
}

/** A fresh virtual account in the bank's format. */
export function newVirtualAccount(bank: VaBank): { vaNumber: string; billerCode?: string } {
  const format = VA_FORMATS[bank];
  const customer = digits(format.customerDigits);
  return format.separateBiller
    ? { vaNumber: customer, billerCode: format.prefix }
    : { vaNumber: `${format.prefix}${customer}` };
}
