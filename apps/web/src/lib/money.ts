/** Money as the API sends it: an integer number of rupiah. */
export interface Money {
  amount: number;
  currency: string;
}

/** `Rp150.000` — Indonesian digit grouping, no decimals (rupiah has no subunit in use). */
export function formatRupiah(amount: number): string {
  if (!Number.isFinite(amount)) return "Rp–";
  const whole = Math.round(Math.abs(amount));
  const digits = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${amount < 0 ? "-" : ""}Rp${digits}`;
}

/** Formats API money; a currency other than IDR keeps its code. */
export function formatMoney(money: Money | null | undefined): string {
  if (!money) return "Rp–";
  return money.currency === "IDR" ? formatRupiah(money.amount) : `${money.currency} ${money.amount}`;
}

/** The whole-percent discount from `base` to `price`, or 0 when there is none. */
export function discountPercent(base: Money | null | undefined, price: Money | null | undefined): number {
  if (!base || !price || base.amount <= 0 || price.amount >= base.amount) return 0;
  return Math.round(((base.amount - price.amount) / base.amount) * 100);
}

/** Parses what a person typed as rupiah (`150.000`, `Rp 150000`); undefined when it is not a whole amount. */
export function parseRupiah(text: string): number | undefined {
  const cleaned = text
    .replace(/^\s*Rp\s*/i, "")
    .replaceAll(".", "")
    .trim();
  if (!/^\d{1,13}$/.test(cleaned)) return undefined;
  return Number(cleaned);
}
