import type { ProductDraft, ProductStatus } from "../domain/product.ts";
import type { PurchasedLine } from "../domain/review.ts";
import type { NewShop } from "../domain/shop.ts";
import type {
  CompletedOrder,
  Page,
  PriceChange,
  PriceHistoryEntry,
  ProductRecord,
  ProductView,
  ReviewRecord,
  ScheduleRecord,
  ShopRecord,
  VariantRecord,
} from "./model.ts";

/** Writes inside one transaction: state, outbox events and timers commit or roll back together. */
export interface CatalogTx {
  shops: {
    insert(shop: NewShop & { id: string; ownerId: string }): Promise<ShopRecord>;
    byOwner(ownerId: string): Promise<ShopRecord | null>;
    byId(id: string): Promise<ShopRecord | null>;
    markSellerGranted(id: string): Promise<void>;
    addRating(id: string, stars: number): Promise<void>;
  };
  products: {
    /** Locks the product row for the rest of the transaction. */
    lock(id: string): Promise<ProductRecord | null>;
    insert(id: string, shopId: string, draft: ProductDraft, now: Date): Promise<void>;
    update(id: string, draft: ProductDraft, now: Date): Promise<void>;
    setStatus(id: string, status: ProductStatus, now: Date): Promise<void>;
    /** Inserts or updates variants by SKU; retires the product's variants not listed. SKU_TAKEN on clash. */
    saveVariants(productId: string, shopId: string, variants: VariantRecord[]): Promise<void>;
    addRating(id: string, stars: number): Promise<{ sum: number; count: number }>;
    addSold(id: string, quantity: number): Promise<void>;
  };
  pricing: {
    lockVariant(variantId: string): Promise<VariantRecord | null>;
    schedulesOf(variantId: string): Promise<ScheduleRecord[]>;
    insertSchedule(schedule: ScheduleRecord): Promise<void>;
    setCurrentPrice(variantId: string, price: number, scheduleId: string | null): Promise<void>;
    recordHistory(change: PriceChange): Promise<void>;
  };
  reviews: {
    /** The caller's purchased lines of a product, locked. */
    purchasedLines(buyerId: string, productId: string): Promise<PurchasedLine[]>;
    recordPurchases(order: CompletedOrder): Promise<number>;
    insert(review: ReviewRecord): Promise<void>;
  };
  events: CatalogEvents;
  /** Durable wake-ups, committed with the transaction. */
  timers: {
    /** Runs `applyScheduledPrice` for the variant at `at` (one timer per variant and instant). */
    priceCheck(variantId: string, at: Date): Promise<void>;
    /** Runs `grantSeller` for the shop at `at` (retry of a failed grant). */
    sellerGrant(shopId: string, at: Date): Promise<void>;
  };
}

/** Integration events, written to the outbox of the current transaction. */
export interface CatalogEvents {
  productCreated(product: ProductView): Promise<void>;
  productUpdated(product: ProductView): Promise<void>;
  productArchived(productId: string, shopId: string, at: Date): Promise<void>;
  priceChanged(change: PriceChange): Promise<void>;
  reviewPosted(review: ReviewRecord, rating: { average: number; count: number }): Promise<void>;
}

export interface UnitOfWork {
  run<T>(fn: (tx: CatalogTx) => Promise<T>): Promise<T>;
}

/** Reads outside transactions; the lean paths behind the public pages. */
export interface CatalogReads {
  shopBySlug(slug: string): Promise<ShopRecord | null>;
  shopById(id: string): Promise<ShopRecord | null>;
  shopByOwner(ownerId: string): Promise<ShopRecord | null>;
  activeProductCount(shopId: string): Promise<number>;
  /** One product with active variants and the schedules running at `at`. */
  product(id: string, at: Date): Promise<ProductRecord | null>;
  /** Several products as `product` reads one, in one statement; unknown ids are left out. */
  products(ids: string[], at: Date): Promise<ProductRecord[]>;
  /** Products newest first; `statuses` filters; `categoryIds` any of. */
  listProducts(filter: {
    shopId: string | null;
    categoryIds: string[] | null;
    statuses: ProductStatus[];
    after: string | null;
    limit: number;
    at: Date;
  }): Promise<ProductRecord[]>;
  variants(ids: string[], at: Date): Promise<{ variant: VariantRecord; product: ProductRecord }[]>;
  /** A shop's variants whose lower-cased SKU is one of `lowerSkus`, of products in any status. */
  variantsBySku(
    shopId: string,
    lowerSkus: string[],
  ): Promise<
    { sku: string; variantId: string; productId: string; productStatus: ProductStatus; active: boolean }[]
  >;
  schedulesOfProduct(productId: string): Promise<ScheduleRecord[]>;
  priceHistory(
    productId: string,
    sku: string | null,
    after: string | null,
    limit: number,
  ): Promise<Page<PriceHistoryEntry>>;
  reviews(productId: string, after: string | null, limit: number): Promise<ReviewRecord[]>;
}

/** The user service, as far as the catalog needs it. */
export interface RoleGranter {
  grantSeller(userId: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** Fresh time-ordered ids. */
export type IdFactory = () => string;
