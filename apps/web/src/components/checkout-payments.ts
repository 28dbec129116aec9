// The API's order view does not carry its payment's id; the checkout answer does. Remembered
// here (per browser) so "Pay now" on an unpaid order finds the payment page again.
const KEY = "toko.checkout_payments";

function all(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

export function rememberPayment(checkoutId: string, paymentId: string): void {
  const map = all();
  map[checkoutId] = paymentId;
  // Only the latest few matter: an unpaid payment expires within a day.
  const entries = Object.entries(map).slice(-20);
  localStorage.setItem(KEY, JSON.stringify(Object.fromEntries(entries)));
}

export function paymentOf(checkoutId: string): string | undefined {
  return all()[checkoutId];
}
