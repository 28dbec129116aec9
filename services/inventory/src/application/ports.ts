import type { Principal } from "@toko/kit";
import type { Kysely, Transaction } from "kysely";
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

/** Durable timers, written in the caller's transaction. */
export interface Timers {
  schedule(trx: Trx, kind: string, key: string, dueAt: Date, payload: unknown): Promise<void>;
  cancel(trx: Trx, kind: string, key: string): Promise<void>;
}

/** Applies stock movements inside a transaction (ledger row + level + change mark). */
export interface StockWriter {
  /** `locked`: the caller already holds the levels' row locks (taken in the global order). */
  apply(trx: Trx, movements: readonly Movement[], options?: { locked?: boolean }): Promise<void>;
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
