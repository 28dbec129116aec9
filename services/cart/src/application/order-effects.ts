import type { CartTx } from "./ports.ts";

/** What the cart needs from an order event. */
export interface OrderFacts {
  checkoutId: string;
  buyerId: string;
  shopId: string;
  lines: { variantId: string; quantity: number }[];
  voucherCodes: string[];
}

async function voucherIds(tx: CartTx, codes: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const code of new Set(codes)) {
    const v = await tx.vouchers.byCode(code.trim().toUpperCase());
    if (v) ids.push(v.id);
  }
  return ids;
}

/**
 * An order was paid: its lines leave the buyer's cart (bought quantities subtracted), its
 * voucher uses become final and those vouchers leave the cart. Runs in the consumer's
 * transaction with its inbox row, so a redelivery changes nothing.
 */
export async function orderPaid(tx: CartTx, order: OrderFacts, now: Date): Promise<void> {
  await tx.lines.subtractBought(order.buyerId, order.lines);
  const ids = await voucherIds(tx, order.voucherCodes);
  if (ids.length === 0) return;
  await tx.vouchers.redeem(order.checkoutId, order.buyerId, order.shopId, ids, now);
  await tx.vouchers.unapplyForOwner(order.buyerId, ids);
}

/**
 * An order was cancelled: its shop no longer carries the checkout's voucher uses; a use that no
 * order of the checkout carries any more is given back.
 */
export async function orderCancelled(tx: CartTx, order: OrderFacts): Promise<void> {
  const ids = await voucherIds(tx, order.voucherCodes);
  if (ids.length > 0) await tx.vouchers.release(order.checkoutId, order.shopId, ids);
}
