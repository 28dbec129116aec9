import type { Parcel } from "../domain/parcel.ts";
import type {
  CartSnapshot,
  CatalogShop,
  CatalogVariant,
  LineSnapshot,
  Page,
  VoucherRecord,
} from "./model.ts";
import type { CartViewCache } from "./view-cache.ts";

/** How a cart is looked up: by owner, by guest-token hash or by id. */
export type CartKey = { ownerId: string } | { tokenHash: string } | { cartId: string };

/** Writes inside one transaction; they commit or roll back together. */
export interface CartTx {
  carts: {
    /** The owner's cart, created when missing; touched and locked for the transaction. */
    openForOwner(ownerId: string, newId: string, now: Date): Promise<string>;
    /** The guest cart with this token hash, touched and locked; null when none. */
    openByToken(tokenHash: string, now: Date): Promise<string | null>;
    createGuest(id: string, tokenHash: string, now: Date): Promise<void>;
    delete(cartId: string): Promise<void>;
    /** Deletes carts of users untouched since `userBefore` and of guests since `guestBefore`. */
    pruneIdle(userBefore: Date, guestBefore: Date): Promise<number>;
  };
  lines: {
    /** One line with its variant's facts; `quantity` 0 when the cart has no such line yet. Null when the variant is not projected. */
    withVariant(cartId: string, variantId: string): Promise<LineSnapshot | null>;
    count(cartId: string): Promise<number>;
    put(
      cartId: string,
      variantId: string,
      quantity: number,
      priceWhenAdded: number,
      now: Date,
    ): Promise<void>;
    remove(cartId: string, variantId: string): Promise<boolean>;
    /** Takes bought quantities out of the owner's cart (lines reaching 0 leave). */
    subtractBought(ownerId: string, bought: { variantId: string; quantity: number }[]): Promise<void>;
  };
  /** The cart as `CartReads.snapshot` reads it, inside this transaction. */
  snapshot(key: CartKey, now: Date, excludeCheckout?: string): Promise<CartSnapshot | null>;
  catalog: CatalogWrites;
  vouchers: {
    insert(voucher: VoucherRecord, createdBy: string): Promise<void>;
    byCode(code: string): Promise<VoucherRecord | null>;
    /** Locks the vouchers (in id order) for the transaction. */
    lock(ids: string[]): Promise<void>;
    /** Live uses (redeemed, or held and not expired) of a voucher, by all and by one user. */
    usage(
      voucherId: string,
      userId: string,
      now: Date,
      excludeCheckout: string,
    ): Promise<{ used: number; usedByUser: number }>;
    apply(cartId: string, voucherId: string, now: Date): Promise<void>;
    unapply(cartId: string, voucherId: string): Promise<boolean>;
    /** Removes these vouchers from the owner's cart. */
    unapplyForOwner(ownerId: string, voucherIds: string[]): Promise<void>;
    /** Codes of the checkout's uses. */
    usesOf(checkoutId: string): Promise<{ voucherId: string; code: string; status: string }[]>;
    hold(use: {
      voucherId: string;
      checkoutId: string;
      userId: string;
      shopIds: string[];
      expiresAt: Date;
      now: Date;
    }): Promise<void>;
    /** Makes the checkout's uses of these vouchers final (recording one if its hold was pruned). */
    redeem(
      checkoutId: string,
      userId: string,
      shopId: string,
      voucherIds: string[],
      now: Date,
    ): Promise<void>;
    /** The shop's order no longer carries these uses; a use no order carries is given back. */
    release(checkoutId: string, shopId: string, voucherIds: string[]): Promise<void>;
    /** Deletes held uses whose hold expired. */
    pruneHolds(now: Date): Promise<number>;
  };
  timers: {
    /** (Re)schedules the prune to run at `at`. */
    prune(at: Date): Promise<void>;
  };
}

/** Keeps the catalog projection: from the product service on first use, then from its events. */
export interface CatalogWrites {
  /** Upserts the variants; one whose projected row already holds the same values is not written. */
  saveVariants(variants: CatalogVariant[], now: Date): Promise<void>;
  saveShop(shop: CatalogShop, now: Date): Promise<void>;
  hasShop(shopId: string): Promise<boolean>;
  /** The product's variants already projected (events for others are ignored). */
  knownVariantIds(productId: string): Promise<string[]>;
  setPrice(variantId: string, price: number, now: Date): Promise<void>;
  setProductStatus(productId: string, status: string, now: Date): Promise<void>;
  /** Marks the product's projected variants not in `activeIds` as retired. */
  retireOthers(productId: string, activeIds: string[], now: Date): Promise<void>;
  /**
   * Stores shop SKUs' available counts read from inventory at `observedAt` unless a newer one is
   * stored, keeping a known reorder point (the read does not carry it). A count equal to the one
   * stored is not written (its older observation time stays: any change after it comes as a later
   * StockChanged).
   */
  recordAvailability(
    levels: { shopId: string; sku: string; available: number }[],
    observedAt: Date,
  ): Promise<void>;
  /** Stores a shop SKU's available count unless a newer one is stored. */
  recordStock(
    shopId: string,
    sku: string,
    available: number,
    reorderPoint: number,
    observedAt: Date,
  ): Promise<void>;
}

/** A line as one of `CartWrites` stores it. */
export interface LineWrite {
  variantId: string;
  quantity: number;
  priceWhenAdded: number;
}

/**
 * Writes outside a unit of work, each atomic on its own. They change a cart only if it is still
 * as it was read (its version), so a read, the rules' checks and one of these make a safe write
 * without holding a lock across them; false means "changed meanwhile: read again".
 */
export interface CartWrites {
  /** Sets a line of the cart if it is still at `version` (raising the version, touching it). */
  putLineAt(cart: { cartId: string; version: number }, line: LineWrite, now: Date): Promise<boolean>;
  /** Creates a cart holding one line: a guest's, or an owner's unless the owner has one already. */
  createWithLine(
    cart: { id: string } & ({ ownerId: string } | { tokenHash: string }),
    line: LineWrite,
    now: Date,
  ): Promise<boolean>;
}

export interface UnitOfWork {
  run<T>(fn: (tx: CartTx) => Promise<T>): Promise<T>;
}

/** Reads outside transactions (the cart page). */
export interface CartReads {
  snapshot(key: CartKey, now: Date): Promise<CartSnapshot | null>;
  /**
   * The cart `key` names (null when none, or when `key` is null) and a variant's facts as a line
   * of it (its quantity 0 when the cart has no such line; null when the variant is not projected),
   * read together.
   */
  lineContext(
    key: CartKey | null,
    variantId: string,
    now: Date,
  ): Promise<{ cart: CartSnapshot | null; variant: LineSnapshot | null; catalogVersion: number }>;
  /** The cart's version and the catalog's, read together; null when `key` names no cart. */
  versions(key: CartKey): Promise<{ cartId: string; version: number; catalogVersion: number } | null>;
  /** Vouchers newest first: the platform's (shopId null) or one shop's. */
  vouchers(
    shopId: string | null,
    after: string,
    limit: number,
    now: Date,
  ): Promise<Page<VoucherRecord & { used: number }>>;
  variant(variantId: string): Promise<CatalogVariant | null>;
}

/** The product service, as far as the cart needs it. */
export interface Catalog {
  /** Variants by id (unknown ids left out). */
  variants(ids: string[]): Promise<CatalogVariant[]>;
  shop(shopId: string): Promise<CatalogShop | null>;
  /** The caller's own shop id; NO_SHOP when they have none. */
  callerShopId(): Promise<string>;
}

/** Inventory's available stock, as far as the cart needs it. */
export interface StockSource {
  /** Units available per shop SKU (unknown SKUs 0); null when inventory could not answer. */
  availability(
    items: { shopId: string; sku: string }[],
  ): Promise<{ shopId: string; sku: string; available: number }[] | null>;
}

/** The user service's address book: the caller's own address (another user's is NOT_FOUND). */
/** A buyer's postal address as the user service holds it. */
export interface Destination {
  recipient: string;
  phone: string;
  street: string;
  district: string;
  city: string;
  province: string;
  postalCode: string;
}

export interface AddressBook {
  /** The caller's own address (the user service refuses another user's). */
  destination(addressId: string): Promise<Destination>;
}

/** One carrier service level's quote. */
export interface RateQuote {
  optionId: string;
  carrier: string;
  service: string;
  price: number;
  etdMinDays: number;
  etdMaxDays: number;
}

/** The shipping service's rate quotes. */
export interface RateQuoter {
  quote(request: {
    originCity: string;
    originProvince: string;
    destinationCity: string;
    destinationProvince: string;
    parcel: Parcel;
  }): Promise<RateQuote[]>;
}

export interface Clock {
  now(): Date;
}

/** Rules the operator configures. */
export interface CartSettings {
  maxLineQuantity: number;
  maxLines: number;
  serviceFee: number;
  userIdleTtlMs: number;
  guestIdleTtlMs: number;
  pruneIntervalMs: number;
  voucherHoldTtlMs: number;
  /** Priced carts kept for repeated reads (0: none). */
  viewCacheSize: number;
}

/** What the use cases need, wired by hand in start.ts (and in tests). */
export interface CartDeps {
  uow: UnitOfWork;
  reads: CartReads;
  writes: CartWrites;
  /** Priced carts this process answered lately, reused while both versions are unchanged. */
  views: CartViewCache;
  catalog: Catalog;
  stock: StockSource;
  addresses: AddressBook;
  rates: RateQuoter;
  clock: Clock;
  newId: () => string;
  settings: CartSettings;
}
