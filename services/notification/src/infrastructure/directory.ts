import { PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient, DomainError, servicePrincipal } from "@toko/kit";
import type { CategoryCatalog, RecipientDirectory } from "../application/ports.ts";

const principal = servicePrincipal("notification");

/** An id the other service does not know, or cannot even parse: nobody to send to. */
const isNotFound = (e: unknown): boolean =>
  e instanceof DomainError && (e.kind === "not_found" || e.kind === "invalid");

/**
 * Contact details from the user service (`GetUser`), shop owners and categories from the
 * product service (`GetShop`, `BatchGetProducts`, `ListCategories`) and payers from the payment
 * service (`GetPayment`), called on the service's own behalf from the remote steps of timers
 * (never inside a database transaction).
 */
export function remoteDirectory(
  addresses: { user: string; product: string; payment: string },
  internalSecret: string | undefined,
): RecipientDirectory & CategoryCatalog & { close(): void } {
  const userAddress = addresses.user;
  const productAddress = addresses.product;
  const users = createClient(UserServiceClient, userAddress, {
    internalSecret,
    deadlineMs: 5_000,
    idempotent: ["getUser"],
  });
  const products = createClient(ProductServiceClient, productAddress, {
    internalSecret,
    deadlineMs: 5_000,
    idempotent: ["getShop", "batchGetProducts", "listCategories"],
  });
  const payments = createClient(PaymentServiceClient, addresses.payment, {
    internalSecret,
    deadlineMs: 5_000,
    idempotent: ["getPayment"],
  });
  return {
    async contact(userId) {
      try {
        const { user } = await users.getUser({ userId }, { principal });
        return user ? { userId: user.id, email: user.email, name: user.name, phone: user.phone } : undefined;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async shopOwner(shopId) {
      try {
        const { shop } = await products.getShop({ shopId, slug: "" }, { principal });
        return shop?.ownerId || undefined;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async payer(paymentId) {
      try {
        const { payment } = await payments.getPayment({ paymentId }, { principal });
        if (!payment?.payerId) return undefined;
        return {
          userId: payment.payerId,
          method: payment.method,
          channel: payment.channel,
          orderIds: payment.allocations.map((a) => a.orderId).filter((id) => id !== ""),
        };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async productsInCategory(categoryId, productIds) {
      const { categories } = await products.listCategories({}, { principal });
      // The category and everything under it.
      const wanted = new Set<string>();
      const walk = (nodes: typeof categories, inside: boolean) => {
        for (const c of nodes) {
          const hit = inside || c.id === categoryId;
          if (hit) wanted.add(c.id);
          walk(c.children, hit);
        }
      };
      walk(categories, false);
      const found = new Set<string>();
      if (wanted.size === 0) return found;
      for (let i = 0; i < productIds.length; i += 100) {
        const res = await products.batchGetProducts(
          { productIds: productIds.slice(i, i + 100) },
          { principal },
        );
        for (const page of res.products) {
          const p = page.product;
          if (p && wanted.has(p.categoryId)) found.add(p.id);
        }
      }
      return found;
    },
    close() {
      users.close();
      products.close();
      payments.close();
    },
  };
}
