import { OrderServiceClient } from "@toko/contracts/toko/order/v1/order";
import { createClient } from "@toko/kit";
import { type ServiceProcess, TEST_INTERNAL_SECRET, testPrincipal, waitForValue } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

// What the crash tests share: a harness whose order service runs only as processes they start
// (and kill), with fast resume and timer leases, and probes of the other services' databases.

export const va = {
  paymentMethod: "bank_transfer_va",
  paymentChannel: "bca",
  voucherCodes: [],
  overrideVouchers: false,
};
/** The resume timer fires a second after a checkout starts; a dead replica's claim lapses in 3 s. */
const FAST = { ORDER_CHECKOUT_RESUME_MS: "1000", ORDER_TIMER_LEASE_MS: "3000" };

export async function startCrashHarness() {
  const h = await startHarness({}, FAST, { inProcess: false });
  const client = (p: ServiceProcess) =>
    createClient(OrderServiceClient, p.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  return {
    h,
    client,
    async paymentsOf(checkoutId: string): Promise<number> {
      const { rows } = await h.db.payment.pool.query(
        "SELECT count(*)::int AS n FROM payments WHERE checkout_id = $1",
        [checkoutId],
      );
      return rows[0].n as number;
    },
    async checkoutIdOf(buyerId: string, key: string): Promise<string> {
      const { rows } = await h.db.order.pool.query(
        "SELECT id FROM checkouts WHERE buyer_id = $1 AND idempotency_key = $2",
        [buyerId, key],
      );
      return rows[0]?.id as string;
    },
    /** Waits until an order of the buyer shows `status`; returns it. */
    async orderOf(p: ServiceProcess, buyerId: string, status: string) {
      const c = client(p);
      try {
        return await waitForValue(
          async () => {
            const { orders } = await c.listOrders(
              { status, page: undefined },
              { principal: testPrincipal(buyerId) },
            );
            return orders[0];
          },
          `an order of ${buyerId} to be ${status}`,
          90_000,
        );
      } finally {
        c.close();
      }
    },
    /** A shop with `units` of one SKU and a buyer with `quantity` of it in the cart. */
    async scenario(units: number, quantity: number) {
      const shop = await h.newShop(units, [45_000]);
      const buyer = await h.newBuyer();
      const shipping = await h.fill(buyer, [{ variantId: shop.variantIds[0] as string, quantity }]);
      return { shop, buyer, shipping, sku: shop.skus[0] as string };
    },
  };
}

export type CrashHarness = Awaited<ReturnType<typeof startCrashHarness>>;
export type { Harness };
