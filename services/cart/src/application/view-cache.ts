import type { CartView } from "./cart-view.ts";
import type { CartSnapshot } from "./model.ts";
import type { CartKey } from "./ports.ts";

interface Entry {
  cartId: string;
  version: number;
  catalogVersion: number;
  view: CartView;
}

/**
 * Priced carts by lookup key, each valid while its cart's version and the catalog's version are
 * what they were when it was priced (a check that reads one row instead of the cart's lines).
 * Only carts without vouchers are kept: a voucher's usage and validity window change with
 * neither version. Bounded: the least recently used entry leaves first. Each process has its
 * own; the versions live in the database, so replicas never serve each other's stale carts.
 */
export class CartViewCache {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  /** The view kept for `key` if it was priced at these versions. */
  get(key: CartKey, current: { cartId: string; version: number; catalogVersion: number }): CartView | null {
    const k = keyOf(key);
    const e = this.#entries.get(k);
    if (!e) return null;
    if (
      e.cartId !== current.cartId ||
      e.version !== current.version ||
      e.catalogVersion !== current.catalogVersion
    ) {
      this.#entries.delete(k);
      return null;
    }
    this.#entries.delete(k);
    this.#entries.set(k, e);
    return e.view;
  }

  /** Whether anything is kept for `key` (worth checking the versions for). */
  has(key: CartKey): boolean {
    return this.#entries.has(keyOf(key));
  }

  /** Keeps the view of `snapshot` (a cart with vouchers is not kept). */
  put(key: CartKey, snapshot: CartSnapshot, view: CartView): void {
    if (this.capacity === 0 || snapshot.vouchers.length > 0) return;
    const k = keyOf(key);
    this.#entries.delete(k);
    this.#entries.set(k, {
      cartId: snapshot.cartId,
      version: snapshot.version,
      catalogVersion: snapshot.catalogVersion,
      view,
    });
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

function keyOf(key: CartKey): string {
  if ("ownerId" in key) return `o:${key.ownerId}`;
  return "tokenHash" in key ? `t:${key.tokenHash}` : `i:${key.cartId}`;
}
