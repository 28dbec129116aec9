// The buyer's choices between the cart and checkout pages (address, courier per shop), kept
// for this tab only.
const KEY = "toko.checkout_draft";

export interface CheckoutDraft {
  addressId?: string;
  couriers: Record<string, string>;
}

export function readDraft(): CheckoutDraft {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) return { couriers: {}, ...(JSON.parse(raw) as Partial<CheckoutDraft>) };
  } catch {
    // a broken draft is forgotten
  }
  return { couriers: {} };
}

export function saveDraft(draft: CheckoutDraft): void {
  sessionStorage.setItem(KEY, JSON.stringify(draft));
}
