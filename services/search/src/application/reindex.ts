import type { CatalogFeed, ProjectionWriter } from "./ports.ts";

/** Runs work in one transaction of the projection. */
export type ProjectionTx = <T>(work: (writer: ProjectionWriter) => Promise<T>) => Promise<T>;

export interface ReindexStore {
  /** Deactivates active products indexed before `startedAt` and not in `seen`. */
  sweep(seen: ReadonlySet<string>, startedAt: Date): Promise<number>;
  now(): Promise<Date>;
}

/**
 * Rebuilds the projection from the catalog: every active product, page by page (one transaction
 * per page), then deactivates what the catalog no longer lists. Events handled meanwhile are not
 * lost: a product state is only replaced by one at least as new, and a product indexed by an
 * event after the rebuild began is not swept.
 */
export async function reindex(
  feed: CatalogFeed,
  tx: ProjectionTx,
  store: ReindexStore,
  onPage: (count: number) => void = () => {},
): Promise<{ indexed: number; removed: number }> {
  const startedAt = await store.now();
  const seen = new Set<string>();
  for await (const page of feed.pages()) {
    await tx((w) => w.upsertProducts(page));
    for (const doc of page) seen.add(doc.productId);
    onPage(seen.size);
  }
  const removed = await store.sweep(seen, startedAt);
  return { indexed: seen.size, removed };
}
