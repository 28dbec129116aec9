import { type Cart, CartServiceClient, type PriceCartRequest } from "@toko/contracts/toko/cart/v1/cart";
import type { Address as CommonAddress } from "@toko/contracts/toko/common/v1/address";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { type Instructions, PaymentServiceClient } from "@toko/contracts/toko/payment/v1/payment";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { ShippingServiceClient } from "@toko/contracts/toko/shipping/v1/shipping";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient, DomainError, errors, servicePrincipal } from "@toko/kit";
import type { Address } from "../application/model.ts";
import type {
  AddressBook,
  CartPricing,
  Catalog,
  Inventory,
  Payments,
  PricedCart,
  PricingRequest,
  Shipping,
} from "../application/ports.ts";

// Saga steps act as the order service; the buyer's or seller's own reads carry their principal
// (the kit forwards the principal of the call being served).
const ORDER = { principal: servicePrincipal("order") };
const idr = (amount: number) => ({ amount, currency: "IDR" });
const money = (m: { amount: number } | undefined) => Number(m?.amount ?? 0);

/** A postal address as the order keeps it (no coordinates). */
function addressOf(a: CommonAddress): Address {
  return {
    recipient: a.recipient,
    phone: a.phone,
    street: a.street,
    district: a.district,
    city: a.city,
    province: a.province,
    postalCode: a.postalCode,
  };
}

function pricedCart(cart: Cart | undefined): PricedCart {
  if (!cart) throw new Error("the cart answered without a cart");
  return {
    shops: cart.shops.map((s) => ({
      shopId: s.shop?.id ?? "",
      lines: s.lines.map((l) => ({
        variantId: l.variantId,
        productId: l.productId,
        sku: l.sku,
        title: l.title,
        quantity: l.quantity,
        unitPrice: money(l.unitPrice),
        lineTotal: money(l.lineTotal),
        problems: l.problems,
        parcel: {
          weightGrams: l.weightGrams,
          lengthCm: l.lengthCm,
          widthCm: l.widthCm,
          heightCm: l.heightCm,
        },
      })),
      subtotal: money(s.subtotal),
      discount: money(s.discount),
      shipping: money(s.shipping),
      shippingOptionId: s.shippingOptionId,
      total: money(s.total),
    })),
    vouchers: cart.vouchers.map((v) => ({ code: v.code, shopId: v.shopId, problem: v.problem })),
    serviceFee: money(cart.totals?.serviceFee),
    grandTotal: money(cart.totals?.grandTotal),
  };
}

const pricingProto = (r: PricingRequest): PriceCartRequest => ({
  addressId: r.addressId,
  shipping: r.shipping.map((s) => ({ shopId: s.shopId, optionId: s.optionId })),
  voucherCodes: r.voucherCodes ?? [],
  overrideVouchers: r.voucherCodes !== null,
  livePrices: true,
});

/** Renames the cart's request fields to the checkout's public ones. */
function publicError(error: unknown): never {
  if (error instanceof DomainError && error.violations.length > 0) {
    throw new DomainError(
      error.kind,
      error.code,
      error.message,
      error.violations.map((v) => ({
        field: v.field.replace(/^pricing\./, "").replace(/^voucher_codes.*/, "voucher_codes"),
        message: v.message,
      })),
    );
  }
  throw error;
}

export function cartPricing(address: string, secret: string | undefined): CartPricing & { close(): void } {
  const client = createClient(CartServiceClient, address, { internalSecret: secret, deadlineMs: 10_000 });
  return {
    async price(request) {
      const res = await client.priceCart(pricingProto(request)).catch(publicError);
      return pricedCart(res.cart);
    },
    async reserveVouchers(checkoutId, request, expiresAt) {
      const res = await client
        .reserveVouchers({ checkoutId, pricing: pricingProto(request), expiresAt })
        .catch(publicError);
      return { ...pricedCart(res.cart), address: res.address ? addressOf(res.address) : null };
    },
    close: () => client.close(),
  };
}

export function productCatalog(address: string, secret: string | undefined): Catalog & { close(): void } {
  const client = createClient(ProductServiceClient, address, {
    internalSecret: secret,
    deadlineMs: 5_000,
    idempotent: ["getShop", "batchGetProducts", "getMyShop"],
  });
  return {
    async shop(shopId) {
      const { shop } = await client.getShop({ shopId, slug: "" }, ORDER).catch((e) => {
        if (e instanceof DomainError && e.code === "NOT_FOUND") return { shop: undefined };
        throw e;
      });
      return shop
        ? {
            shopId: shop.id,
            ownerId: shop.ownerId,
            name: shop.name,
            city: shop.city,
            province: shop.province,
          }
        : null;
    },
    async categories(productIds) {
      const map = new Map<string, string>();
      for (let i = 0; i < productIds.length; i += 100) {
        const res = await client.batchGetProducts({ productIds: productIds.slice(i, i + 100) }, ORDER);
        for (const p of res.products) if (p.product) map.set(p.product.id, p.product.categoryId);
      }
      return map;
    },
    async callerShopId() {
      const { shop } = await client.getMyShop({});
      if (!shop) throw new DomainError("failed_precondition", "NO_SHOP", "the caller has no shop");
      return shop.id;
    },
    close: () => client.close(),
  };
}

export function addressBook(address: string, secret: string | undefined): AddressBook & { close(): void } {
  const client = createClient(UserServiceClient, address, {
    internalSecret: secret,
    deadlineMs: 5_000,
    idempotent: ["getAddress"],
  });
  return {
    async get(addressId) {
      const res = await client.getAddress({ addressId }).catch((e) => {
        if (e instanceof DomainError && (e.code === "NOT_FOUND" || e.kind === "invalid"))
          throw errors.invalid("unknown address", [
            { field: "address_id", message: "is not one of your addresses" },
          ]);
        throw e;
      });
      const a = res.address?.address;
      if (!a)
        throw errors.invalid("unknown address", [
          { field: "address_id", message: "is not one of your addresses" },
        ]);
      return addressOf(a);
    },
    async callerPhone() {
      const { user } = await client.getMe({});
      return user?.phone ?? "";
    },
    close: () => client.close(),
  };
}

export function inventoryClient(address: string, secret: string | undefined): Inventory & { close(): void } {
  const client = createClient(InventoryServiceClient, address, {
    internalSecret: secret,
    deadlineMs: 10_000,
    idempotent: ["reserve", "commit", "release", "getReservation", "restock"],
  });
  return {
    async reserve(checkoutId, lines, ttlSeconds) {
      try {
        await client.reserve(
          {
            checkoutId,
            lines: lines.map((l) => ({ shopId: l.shopId, sku: l.sku, quantity: l.quantity })),
            ttlSeconds,
          },
          ORDER,
        );
        return { ok: true };
      } catch (error) {
        if (
          error instanceof DomainError &&
          ["OUT_OF_STOCK", "UNKNOWN_SKU", "RESERVATION_RELEASED"].includes(error.code)
        ) {
          const short = error.violations.flatMap((v) => {
            const i = Number(/^lines\[(\d+)\]/.exec(v.field)?.[1] ?? -1);
            const line = lines[i];
            return line ? [{ shopId: line.shopId, sku: line.sku, message: v.message }] : [];
          });
          return {
            ok: false,
            short:
              short.length > 0
                ? short
                : lines.map((l) => ({ shopId: l.shopId, sku: l.sku, message: error.message })),
          };
        }
        throw error;
      }
    },
    async commit(checkoutId) {
      try {
        await client.commit({ checkoutId }, ORDER);
        return "committed";
      } catch (error) {
        if (
          error instanceof DomainError &&
          (error.code === "RESERVATION_RELEASED" || error.code === "NOT_FOUND")
        )
          return "released";
        throw error;
      }
    },
    async release(checkoutId) {
      try {
        await client.release({ checkoutId }, ORDER);
        return "released";
      } catch (error) {
        if (error instanceof DomainError && error.code === "RESERVATION_COMMITTED") return "committed";
        throw error;
      }
    },
    async allocations(checkoutId) {
      const { reservation } = await client.getReservation({ checkoutId }, ORDER);
      return (reservation?.allocations ?? []).map((a) => ({
        shopId: a.shopId,
        sku: a.sku,
        warehouseId: a.warehouseId,
        quantity: Number(a.quantity),
      }));
    },
    async defaultWarehouse() {
      const { warehouses } = await client.listWarehouses({ page: { limit: 100, cursor: "" } });
      const w = warehouses.find((x) => x.isDefault) ?? warehouses[0];
      return w ? { address: w.address, city: w.city, province: w.province } : null;
    },
    async restock(key, checkoutId, lines, reason) {
      await client.restock({ idempotencyKey: key, checkoutId, lines, reason }, ORDER);
    },
    close: () => client.close(),
  };
}

const instructionsOf = (i: Instructions | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(i ?? {}).filter(([, v]) => typeof v === "string" && v !== ""));

export function paymentsClient(address: string, secret: string | undefined): Payments & { close(): void } {
  const client = createClient(PaymentServiceClient, address, {
    internalSecret: secret,
    deadlineMs: 10_000,
    idempotent: ["createPayment", "refundPayment", "settleCod"],
  });
  return {
    async create(input) {
      const { payment } = await client.createPayment(
        {
          checkoutId: input.checkoutId,
          payerId: input.payerId,
          amount: idr(input.amount),
          method: input.method,
          channel: input.channel,
          expiresAt: input.expiresAt,
          allocations: input.allocations.map((a) => ({
            orderId: a.orderId,
            shopId: a.shopId,
            amount: idr(a.amount),
            commission: idr(a.commission),
          })),
        },
        ORDER,
      );
      if (!payment) throw new Error("CreatePayment answered without a payment");
      return {
        paymentId: payment.id,
        method: payment.method,
        channel: payment.channel,
        amount: money(payment.amount),
        expiresAt: (payment.expiresAt ?? input.expiresAt).toISOString(),
        instructions: instructionsOf(payment.instructions),
        status: payment.status,
      };
    },
    async refund(paymentId, refund) {
      await client.refundPayment(
        {
          paymentId,
          refundId: refund.refundId,
          amount: idr(refund.amount),
          orderId: refund.orderId,
          reason: refund.reason,
        },
        ORDER,
      );
    },
    async settleCod(paymentId, collected) {
      await client.settleCod({ paymentId, collected: idr(collected) }, ORDER);
    },
    close: () => client.close(),
  };
}

export function shippingClient(address: string, secret: string | undefined): Shipping & { close(): void } {
  const client = createClient(ShippingServiceClient, address, {
    internalSecret: secret,
    deadlineMs: 10_000,
    idempotent: ["createShipment", "createReturnShipment"],
  });
  const proto = (a: {
    recipient: string;
    phone: string;
    street: string;
    district: string;
    city: string;
    province: string;
    postalCode: string;
  }) => ({
    ...a,
    latitude: undefined,
    longitude: undefined,
  });
  return {
    async createShipment(order, origin, pickupSlotId) {
      const { shipment } = await client.createShipment(
        {
          orderId: order.id,
          buyerId: order.buyerId,
          shopId: order.shopId,
          shopOwnerUserId: order.shopOwnerId,
          origin: proto(origin),
          destination: proto(order.destination),
          parcel: order.parcel,
          optionId: order.shippingOptionId,
          pickupSlotId,
          deliverySlotId: "",
        },
        ORDER,
      );
      if (!shipment) throw new Error("CreateShipment answered without a shipment");
      return {
        shipmentId: shipment.id,
        awb: shipment.awb,
        carrier: shipment.carrier,
        service: shipment.service,
        optionId: shipment.optionId,
      };
    },
    async createReturnShipment(ret, order, shopAddress) {
      const { shipment } = await client.createReturnShipment(
        {
          returnId: ret.id,
          orderId: order.id,
          buyerId: order.buyerId,
          shopId: order.shopId,
          shopOwnerUserId: order.shopOwnerId,
          origin: proto(order.destination),
          destination: proto(shopAddress),
          parcel: order.parcel,
          optionId: order.shippingOptionId,
          pickupSlotId: "",
        },
        ORDER,
      );
      if (!shipment) throw new Error("CreateReturnShipment answered without a shipment");
      return shipment.id;
    },
    close: () => client.close(),
  };
}
