import { createHash } from "node:crypto";

/** A product page ready to send: the serialized JSON and its entity tag. */
export interface ProductPage {
  body: Buffer;
  /** Strong entity tag (a hash of the body), quoted. */
  etag: string;
  /** False for pages only their owner may see (drafts): never cached, never shared. */
  shared: boolean;
}

/** What a load of one product page returns. */
export interface PageLoad {
  /** The serialized JSON (what Fastify's serializer returns). */
  body: string | Buffer | ArrayBuffer;
  shared: boolean;
  /** The service's hint: its prices hold this long (until the next scheduled price change). */
  maxAgeMs: number | undefined;
}

export interface ProductPageCacheOptions {
  /** Upper bound on any page's age, for changes the gateway cannot see coming. */
  ttlMs: number;
  maxEntries: number;
  /** Bound on the summed body sizes. */
  maxBytes: number;
  now?: () => number;
}

interface Entry extends ProductPage {
  expires: number;
  /** The cache's move counter when this entry last moved to the recent end. */
  moved: number;
}

/**
 * Public product pages as serialized JSON, least recently used first out (nearly: see
 * `lookup`), each kept for the TTL or until the product's next scheduled price change, whichever
 * is sooner (the expiry is counted from when the load started, so it never outlives the
 * service's hint). Concurrent
 * anonymous misses for one id share one load. `evict` (a write through this gateway) also
 * discards loads in flight, so a page read before a write is never stored after it.
 */
export class ProductPageCache {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<ProductPage>>();
  readonly #now: () => number;
  #bytes = 0;
  #evictions = 0;
  /** Counts moves to the recent end (stores and refreshes): how far back an entry has drifted. */
  #moves = 0;

  constructor(private readonly options: ProductPageCacheOptions) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * The cached page if it is still fresh. A hit moves the entry to the recent end only once it
   * has drifted into the older half: moving on every hit (a delete and a re-insert in a map of
   * tens of thousands) was the largest cost of a hit, and an entry hit at least once per half a
   * cache of moves is never the one evicted, as with exact LRU.
   */
  lookup(id: string): ProductPage | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(id);
      this.#bytes -= entry.body.length;
      return undefined;
    }
    if (this.#moves - entry.moved >= this.options.maxEntries / 2) {
      this.#entries.delete(id);
      this.#entries.set(id, entry);
      entry.moved = ++this.#moves;
    }
    return entry;
  }

  /** Loads a page, storing it when shared; `coalesce` joins a load already running for `id`. */
  fill(id: string, load: () => Promise<PageLoad>, coalesce: boolean): Promise<ProductPage> {
    if (coalesce) {
      const pending = this.#inflight.get(id);
      if (pending) return pending;
    }
    const started = this.#now();
    const evictions = this.#evictions;
    const loading = load().then(
      (loaded) => {
        if (this.#inflight.get(id) === loading) this.#inflight.delete(id);
        const page = pageOf(loaded);
        const ttl = Math.min(this.options.ttlMs, loaded.maxAgeMs ?? Number.POSITIVE_INFINITY);
        // Any eviction since the load began may concern this id: keep the page out rather than risk it.
        if (page.shared && ttl > 0 && evictions === this.#evictions) this.#store(id, page, started + ttl);
        return page;
      },
      (error: unknown) => {
        if (this.#inflight.get(id) === loading) this.#inflight.delete(id);
        throw error;
      },
    );
    if (coalesce) this.#inflight.set(id, loading);
    return loading;
  }

  /** Forgets `id` (and any load of it in flight): its product changed. */
  evict(id: string): void {
    this.#evictions++;
    this.#inflight.delete(id);
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#bytes -= entry.body.length;
  }

  get size(): number {
    return this.#entries.size;
  }

  #store(id: string, page: ProductPage, expires: number): void {
    const old = this.#entries.get(id);
    if (old) {
      this.#entries.delete(id);
      this.#bytes -= old.body.length;
    }
    this.#entries.set(id, { ...page, expires, moved: ++this.#moves });
    this.#bytes += page.body.length;
    // Maps iterate in insertion order and drifted hits re-insert: the first key is (nearly) the
    // least recently used.
    while (
      this.#entries.size > 0 &&
      (this.#entries.size > this.options.maxEntries || this.#bytes > this.options.maxBytes)
    ) {
      const [oldest, entry] = this.#entries.entries().next().value as [string, Entry];
      this.#entries.delete(oldest);
      this.#bytes -= entry.body.length;
    }
  }
}

function pageOf(loaded: PageLoad): ProductPage {
  const raw = loaded.body;
  const body = typeof raw === "string" ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  return { body, etag, shared: loaded.shared };
}

/** Whether an If-None-Match header value matches `etag` (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  for (const raw of ifNoneMatch.split(",")) {
    const tag = raw.trim();
    if (tag === "*" || tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}
