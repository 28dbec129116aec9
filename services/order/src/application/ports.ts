import type { ReturnLineItem } from "../domain/order.ts";
import type {
  Address,
  CheckoutRecord,
  OrderRecord,
  Page,
  Parcel,
  PaymentInfo,
  PayoutRecord,
  RefundIntent,
  ReserveLine,
  RestockIntent,
  ReturnRecord,
  ShipmentInfo,
} from "./model.ts";

/** Integration events, written to the outbox in the transaction that decides them. */
export interface OrderEvents {
  placed(order: OrderRecord, payment: PaymentInfo): Promise<void>;
  paid(order: OrderRecord): Promise<void>;
  cancelled(order: OrderRecord): Promise<void>;
  accepted(order: OrderRecord): Promise<void>;
  shipped(order: OrderRecord): Promise<void>;
  delivered(order: OrderRecord, completeBy: Date): Promise<void>;
  completed(order: OrderRecord): Promise<void>;
  refunded(order: OrderRecord, refund: RefundIntent): Promise<void>;
  returnRequested(ret: ReturnRecord): Promise<void>;
  returnApproved(ret: ReturnRecord): Promise<void>;
  returnRejected(ret: ReturnRecord): Promise<void>;
  returnReceived(ret: ReturnRecord): Promise<void>;
  returnRefunded(ret: ReturnRecord): Promise<void>;
}

/** The saga's durable deadlines and deferred remote steps (kit timers). */
export interface SagaTimers {
  /** Carries a checkout the buyer's request did not finish on to its payment (or fails it). */
  resumeCheckout(checkoutId: string, at: Date): Promise<void>;
  cancelResume(checkoutId: string): Promise<void>;
  /** The payment succeeded: commit the stock and mark the orders paid. */
  commitCheckout(checkoutId: string): Promise<void>;
  /** The payment expired or failed: release the stock and cancel the orders. */
  releaseCheckout(checkoutId: string, reason: string): Promise<void>;
  acceptBy(orderId: string, at: Date): Promise<void>;
  cancelAcceptBy(orderId: string): Promise<void>;
  completeBy(orderId: string, at: Date): Promise<void>;
  cancelCompleteBy(orderId: string): Promise<void>;
  refund(intent: RefundIntent, paymentId: string): Promise<void>;
  /** Committed units go back into stock (inventory.Restock, idempotent per intent key). */
  restock(intent: RestockIntent): Promise<void>;
  settleCod(checkoutId: string, at: Date): Promise<void>;
}

/** Writes inside one transaction; they commit or roll back together. */
export interface OrderTx {
  checkouts: {
    /** False when the buyer already has a checkout under this key. */
    insert(checkout: CheckoutRecord): Promise<boolean>;
    lock(id: string): Promise<CheckoutRecord | null>;
    save(checkout: CheckoutRecord): Promise<void>;
  };
  orders: {
    insert(orders: OrderRecord[]): Promise<void>;
    lock(id: string): Promise<OrderRecord | null>;
    /** The checkout's orders, locked, in id order. */
    lockOfCheckout(checkoutId: string): Promise<OrderRecord[]>;
    lockByShipment(shipmentId: string): Promise<OrderRecord | null>;
    save(order: OrderRecord): Promise<void>;
  };
  returns: {
    insert(ret: ReturnRecord): Promise<void>;
    lock(id: string): Promise<ReturnRecord | null>;
    save(ret: ReturnRecord): Promise<void>;
  };
  payouts: { insert(payout: PayoutRecord): Promise<void> };
  rates: {
    /** Commission rates (basis points) of the categories that have their own. */
    of(categoryIds: string[]): Promise<Map<string, number>>;
  };
  events: OrderEvents;
  timers: SagaTimers;
}

export interface UnitOfWork {
  run<T>(fn: (tx: OrderTx) => Promise<T>): Promise<T>;
}

/** Reads outside transactions. */
export interface OrderReads {
  checkoutByKey(buyerId: string, key: string): Promise<CheckoutRecord | null>;
  checkout(id: string): Promise<CheckoutRecord | null>;
  order(id: string): Promise<OrderRecord | null>;
  ordersOfCheckout(checkoutId: string): Promise<OrderRecord[]>;
  ordersOfBuyer(buyerId: string, status: string, cursor: string, limit: number): Promise<Page<OrderRecord>>;
  ordersOfShop(shopId: string, status: string, cursor: string, limit: number): Promise<Page<OrderRecord>>;
  returnsOf(orderIds: string[]): Promise<ReturnRecord[]>;
  returnById(id: string): Promise<ReturnRecord | null>;
  balance(
    shopId: string,
    pendingStatuses: readonly string[],
  ): Promise<{ pending: number; available: number; payouts: PayoutRecord[] }>;
}

export interface PricingRequest {
  addressId: string;
  shipping: { shopId: string; optionId: string }[];
  voucherCodes: string[] | null;
}

export interface PricedLine {
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  problems: string[];
  parcel: Parcel;
}

export interface PricedShop {
  shopId: string;
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  shipping: number;
  shippingOptionId: string;
  total: number;
}

export interface PricedCart {
  shops: PricedShop[];
  vouchers: { code: string; shopId: string; problem: string }[];
  serviceFee: number;
  grandTotal: number;
}

/**
 * A cart priced with its vouchers held, and the address its couriers were quoted to as the user
 * service answered it for the buyer (null when the cart fetched none: no couriers chosen).
 */
export interface ReservedCart extends PricedCart {
  address: Address | null;
}

/** The cart service: the one price calculation, called with the buyer's principal. */
export interface CartPricing {
  price(request: PricingRequest): Promise<PricedCart>;
  reserveVouchers(checkoutId: string, request: PricingRequest, expiresAt: Date): Promise<ReservedCart>;
}

export interface ShopFacts {
  shopId: string;
  ownerId: string;
  name: string;
  city: string;
  province: string;
}

/** The product service. */
export interface Catalog {
  shop(shopId: string): Promise<ShopFacts | null>;
  /** Category id per product id. */
  categories(productIds: string[]): Promise<Map<string, string>>;
  /** The calling seller's shop id (NO_SHOP when they have none). */
  callerShopId(): Promise<string>;
}

export interface AddressBook {
  /** The caller's own address; another user's is NOT_FOUND. */
  get(addressId: string): Promise<Address>;
  /** The caller's profile phone number (empty when they gave none). */
  callerPhone(): Promise<string>;
}

export type ReserveOutcome =
  | { ok: true }
  | { ok: false; short: { shopId: string; sku: string; message: string }[] };

export interface Inventory {
  reserve(checkoutId: string, lines: ReserveLine[], ttlSeconds: number): Promise<ReserveOutcome>;
  /** "committed", or "released" when the hold was released or expired first. */
  commit(checkoutId: string): Promise<"committed" | "released">;
  /** "released", or "committed" when it was committed first. */
  release(checkoutId: string): Promise<"released" | "committed">;
  /** Where the checkout's units were taken from (allocation order: warehouse, then SKU). */
  allocations(
    checkoutId: string,
  ): Promise<{ shopId: string; sku: string; warehouseId: string; quantity: number }[]>;
  /** The calling seller's default warehouse (the courier's pickup place); null when they have none. */
  defaultWarehouse(): Promise<{ address: string; city: string; province: string } | null>;
  /** Puts committed units of the checkout back into their warehouses, once per key (order's principal). */
  restock(
    key: string,
    checkoutId: string,
    lines: { sku: string; warehouseId: string; quantity: number }[],
    reason: string,
  ): Promise<void>;
}

export interface Payments {
  create(input: {
    checkoutId: string;
    payerId: string;
    amount: number;
    method: string;
    channel: string;
    expiresAt: Date;
    allocations: { orderId: string; shopId: string; amount: number; commission: number }[];
  }): Promise<PaymentInfo & { status: string }>;
  refund(paymentId: string, refund: RefundIntent): Promise<void>;
  settleCod(paymentId: string, collected: number): Promise<void>;
}

export interface Shipping {
  createShipment(order: OrderRecord, origin: Address, pickupSlotId: string): Promise<ShipmentInfo>;
  createReturnShipment(ret: ReturnRecord, order: OrderRecord, shopAddress: Address): Promise<string>;
}

export interface Clock {
  now(): Date;
}

export interface OrderSettings {
  paymentTtlMs: number;
  acceptWindowMs: number;
  completeWindowMs: number;
  resumeAfterMs: number;
  defaultCommissionBps: number;
}

export interface OrderDeps {
  uow: UnitOfWork;
  reads: OrderReads;
  cart: CartPricing;
  catalog: Catalog;
  addresses: AddressBook;
  inventory: Inventory;
  payments: Payments;
  shipping: Shipping;
  clock: Clock;
  newId: () => string;
  settings: OrderSettings;
  /** Marks a saga checkpoint (crash tests make the process die at chosen ones). */
  checkpoint(name: "reserved" | "payment-created" | "committed"): void;
}

export type { ReturnLineItem };
