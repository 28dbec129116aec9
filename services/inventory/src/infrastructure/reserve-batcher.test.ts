import assert from "node:assert/strict";
import { test } from "node:test";
import type { ReserveOutcome } from "../application/ports.ts";
import type { ReserveRequest } from "./pg-reserve.ts";
import { reserveBatcher } from "./reserve-batcher.ts";

const held: ReserveOutcome = {
  kind: "held",
  expiresAt: new Date(0),
  createdAt: new Date(0),
  allocations: [],
};
const line = (sku: string) => [{ shopId: "s", sku, quantity: 1 }];

test("queued requests go out together, never two of one checkout or one SKU in a batch", async () => {
  const batches: string[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const reserve = reserveBatcher(
    async (batch: readonly ReserveRequest[]) => {
      batches.push(batch.map((r) => `${r.checkoutId}:${r.lines[0]?.sku}`));
      await gate;
      return batch.map(() => held);
    },
    { maxInFlight: 1 },
  );
  const all = Promise.all([
    reserve("c1", "k", line("A"), 60, "x"),
    reserve("c2", "k", line("A"), 60, "x"),
    reserve("c3", "k", line("B"), 60, "x"),
    reserve("c3", "k", line("C"), 60, "x"),
    reserve("c4", "k", line("D"), 60, "x"),
  ]);
  release();
  await all;
  assert.deepEqual(batches, [["c1:A"], ["c2:A", "c3:B", "c4:D"], ["c3:C"]]);
});

test("a failing batch is retried one by one, so one request's error is never another's", async () => {
  const runs: number[] = [];
  let first = true;
  const reserve = reserveBatcher(
    async (batch: readonly ReserveRequest[]) => {
      runs.push(batch.length);
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 10));
        return batch.map(() => held);
      }
      if (batch.some((r) => r.checkoutId === "bad")) throw new Error("boom");
      return batch.map(() => held);
    },
    { maxInFlight: 1 },
  );
  const results = await Promise.allSettled([
    reserve("c0", "k", line("A"), 60, "x"),
    reserve("c1", "k", line("B"), 60, "x"),
    reserve("bad", "k", line("C"), 60, "x"),
    reserve("c2", "k", line("D"), 60, "x"),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ["fulfilled", "fulfilled", "rejected", "fulfilled"],
  );
  assert.deepEqual(runs, [1, 3, 1, 1, 1]);
});

test("a SKU or checkout already in a running statement waits, even with free slots", async () => {
  let running = 0;
  let most = 0;
  const reserve = reserveBatcher(
    async (batch: readonly ReserveRequest[]) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return batch.map(() => held);
    },
    { maxInFlight: 4 },
  );
  await Promise.all(Array.from({ length: 6 }, (_, i) => reserve(`c${i}`, "k", line("HOT"), 60, "x")));
  assert.equal(most, 1, "one hot SKU: one statement at a time");
});
