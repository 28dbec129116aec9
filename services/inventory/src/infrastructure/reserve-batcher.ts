import type { ReserveOutcome, ReserveStatement } from "../application/ports.ts";
import type { ReserveBatch, ReserveRequest } from "./pg-reserve.ts";

interface Pending {
  request: ReserveRequest;
  resolve: (outcome: ReserveOutcome) => void;
  reject: (error: unknown) => void;
}

export interface ReserveBatcherOptions {
  /** Statements in flight at most (the reserve pool's size: more would only queue for a connection). */
  maxInFlight: number;
  /** Checkouts per statement at most. */
  maxBatch?: number;
}

/**
 * Group commit for Reserve: a request goes out at once while fewer than `maxInFlight`
 * statements are running; otherwise it waits for the next free slot and goes out together with
 * the others that queued meanwhile, as one statement. So an idle service adds no latency and a
 * busy one pays the per-statement cost (round trip, executor start-up, commit) once per batch.
 * No two statements in flight (nor two requests of one batch) share a checkout id or a shop
 * SKU — such a request waits for a later batch — so each checkout is decided exactly as if it
 * ran alone, and a hot SKU's requests run one statement after another in this process. If a batch fails as a whole, its requests are retried
 * one by one, so one request's error is never another's.
 */
export function reserveBatcher(run: ReserveBatch, options: ReserveBatcherOptions): ReserveStatement {
  const maxBatch = options.maxBatch ?? 64;
  const queue: Pending[] = [];
  let inFlight = 0;
  // Checkout ids and shop SKUs of the statements running now: a request touching one of them
  // waits here rather than in PostgreSQL's lock queue (a hot SKU's callers would otherwise
  // hold every connection while waiting for each other's row lock).
  const busy = new Set<string>();
  const keysOf = (r: ReserveRequest) => [
    `c\u0000${r.checkoutId}`,
    ...r.lines.map((l) => `s\u0000${l.shopId}\u0000${l.sku}`),
  ];

  const take = (): Pending[] => {
    const batch: Pending[] = [];
    for (let i = 0; i < queue.length && batch.length < maxBatch; ) {
      const p = queue[i] as Pending;
      const keys = keysOf(p.request);
      if (keys.some((k) => busy.has(k))) {
        i++;
        continue;
      }
      for (const k of keys) busy.add(k);
      batch.push(p);
      queue.splice(i, 1);
    }
    return batch;
  };

  const settle = async (batch: Pending[]): Promise<void> => {
    try {
      const outcomes = await run(batch.map((p) => p.request));
      for (const [i, p] of batch.entries()) p.resolve(outcomes[i] as ReserveOutcome);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const p of batch) await settle([p]);
    }
  };

  const pump = (): void => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = take();
      if (batch.length === 0) return; // everything queued waits for a running statement
      inFlight++;
      void settle(batch).finally(() => {
        for (const p of batch) for (const k of keysOf(p.request)) busy.delete(k);
        inFlight--;
        pump();
      });
    }
  };

  return (checkoutId, requestKey, lines, ttlSeconds, actor) =>
    new Promise<ReserveOutcome>((resolve, reject) => {
      queue.push({ request: { checkoutId, requestKey, lines, ttlSeconds, actor }, resolve, reject });
      pump();
    });
}
