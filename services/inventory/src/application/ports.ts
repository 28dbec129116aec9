import type { Principal } from "@toko/kit";
import type { Kysely, Transaction } from "kysely";
import type { ReserveLine } from "../domain/reservation.ts";
import type { InventoryDb } from "../infrastructure/schema.ts";

/** The service's database handle and its transactions. */
export type Db = Kysely<InventoryDb>;
export type Trx = Transaction<InventoryDb>;

/** Why stock moved; one of the ledger's reasons. */
export type LedgerReason =
  | "adjustment"
  | "reservation"
  | "commit"
  | "release"
  | "transfer"
  | "receipt"
  | "return";

/** One change to one stock level, recorded as one ledger row. */
export interface Movement {
  shopId: string;
  warehouseId: string;
  sku: string;
  onHandDelta: number;
  reservedDelta: number;
  reason: LedgerReason;
  actor: string;
  reference?: string;
  note?: string;
}

/** Where the seller's shop and its SKUs are known: the product service. */
export interface ShopDirectory {
  /** The caller's shop id; a DomainError NO_SHOP when they have none. */
  shopOf(principal: Principal): Promise<string>;
  /** The SKUs among `skus` that the shop's catalog does not have. */
  unknownSkus(principal: Principal, shopId: string, skus: readonly string[]): Promise<string[]>;
}

/** Applies stock movements inside a transaction (ledger row + level + change mark). */
export interface StockWriter {
  /** Locks the levels in the global order (shop, sku, warehouse), then writes. */
  apply(trx: Trx, movements: readonly Movement[]): Promise<void>;
  /** Marks SKUs for StockChanged without moving stock (a reorder point changed). */
  markDirty(trx: Trx, skus: readonly { shopId: string; sku: string }[]): Promise<void>;
}

/** A retried write's identity: the caller's shop, what it does, its key and its request. */
export interface WriteKey {
  shopId: string;
  operation: string;
  /** The client's idempotency key; empty means the write is not keyed. */
  key: string;
  /** The request without the key; the same key with another request is refused. */
  request: unknown;
}

/** Remembers keyed writes, so a retried request changes nothing and answers the first response. */
export interface IdempotentWrites {
  /**
   * Runs `write` in `trx` unless this key was used before: then answers the stored response
   * (`IDEMPOTENCY_KEY_REUSED` when the request differs). Concurrent duplicates wait for the first.
   */
  once<T>(trx: Trx, key: WriteKey, write: () => Promise<T>): Promise<T>;
}

/** A released-by-expiry reservation line. */
export interface ExpiredLine {
  shopId: string;
  sku: string;
  quantity: number;
}

/** Stock totals of one shop SKU across its warehouses, after a change. */
export interface SkuTotals {
  shopId: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  reorderPoint: number;
}

/** Integration events, written to the outbox in the caller's transaction. */
export interface InventoryEvents {
  reservationExpired(
    trx: Trx,
    checkoutId: string,
    expiresAt: Date,
    lines: readonly ExpiredLine[],
  ): Promise<void>;
  stockChanged(trx: Trx, totals: readonly SkuTotals[]): Promise<void>;
  lowStock(trx: Trx, totals: readonly SkuTotals[]): Promise<void>;
}

/** What one Reserve statement did. */
export type ReserveOutcome =
  /** Held: the reservation row, its allocations, ledger, levels and expiry timer were written. */
  | { kind: "held"; expiresAt: Date; createdAt: Date; allocations: Allocation[] }
  /** Every line was coverable but the checkout id already had a reservation: nothing written. */
  | { kind: "exists" }
  /** Some line was not coverable (or not stocked at all): nothing written. */
  | { kind: "short"; lines: ShortLine[] };

/** Units of a shop SKU held in one warehouse. */
export interface Allocation {
  shopId: string;
  sku: string;
  warehouseId: string;
  quantity: number;
}

/** A requested line the shop's warehouses cannot cover; `levels` 0 = never stocked. */
export interface ShortLine {
  shopId: string;
  sku: string;
  quantity: number;
  have: number;
  levels: number;
}

/** The one-statement Reserve: `lines` normalised (merged per shop SKU, sorted). */
export type ReserveStatement = (
  checkoutId: string,
  requestKey: string,
  lines: readonly ReserveLine[],
  ttlSeconds: number,
  actor: string,
) => Promise<ReserveOutcome>;
