import assert from "node:assert/strict";
import { test } from "node:test";
import { Batcher } from "./batcher.ts";

test("keys asked in one turn share one fetch, each key once; missing keys resolve undefined", async () => {
  const calls: string[][] = [];
  const batcher = new Batcher<string>(async (keys) => {
    calls.push(keys);
    return new Map(keys.filter((k) => k !== "x").map((k) => [k, k.toUpperCase()]));
  }, 100);
  const results = await Promise.all(["a", "b", "a", "x"].map((k) => batcher.load(k)));
  assert.deepEqual(results, ["A", "B", "A", undefined]);
  assert.deepEqual(calls, [["a", "b", "x"]]);
  assert.equal(await batcher.load("c"), "C");
  assert.equal(calls.length, 2, "a later turn is a new batch");
});

test("batches are split at the maximum size", async () => {
  const sizes: number[] = [];
  const batcher = new Batcher<number>(async (keys) => {
    sizes.push(keys.length);
    return new Map(keys.map((k) => [k, Number(k)]));
  }, 2);
  assert.deepEqual(await Promise.all(["1", "2", "3", "4", "5"].map((k) => batcher.load(k))), [1, 2, 3, 4, 5]);
  assert.deepEqual(sizes, [2, 2, 1]);
});

test("a failed fetch fails every key in that batch only", async () => {
  const batcher = new Batcher<string>(async (keys) => {
    if (keys.includes("bad")) throw new Error("unavailable");
    return new Map(keys.map((k) => [k, k]));
  }, 1);
  const [good, bad] = await Promise.allSettled([batcher.load("ok"), batcher.load("bad")]);
  assert.deepEqual(good, { status: "fulfilled", value: "ok" });
  assert.equal(bad?.status, "rejected");
});

/** A batcher whose first fetch hangs until `release()`, recording every fetch's keys. */
function gatedBatcher(maxBatch: number, windowMs: number) {
  const calls: string[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const batcher = new Batcher<string>(
    async (keys) => {
      calls.push(keys);
      if (calls.length === 1) await gate;
      return new Map(keys.map((k) => [k, k]));
    },
    maxBatch,
    windowMs,
  );
  return { batcher, calls, release };
}

test("while a fetch runs, keys gather for the window; with none running they go at the end of the turn", async () => {
  const { batcher, calls, release } = gatedBatcher(100, 30);
  const first = batcher.load("a");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, [["a"]], "nothing was running: the first key went at once");
  // "a" is still being fetched: keys asked over several turns share the next call.
  const later = [batcher.load("b")];
  await new Promise((r) => setImmediate(r));
  later.push(batcher.load("c"));
  await new Promise((r) => setTimeout(r, 5));
  later.push(batcher.load("d"));
  assert.equal(calls.length, 1, "within the window nothing more was sent");
  assert.deepEqual(await Promise.all(later), ["b", "c", "d"]);
  assert.deepEqual(calls, [["a"], ["b", "c", "d"]]);
  release();
  assert.equal(await first, "a");
});

test("a full batch goes at once, without waiting for the window", async () => {
  const { batcher, calls, release } = gatedBatcher(2, 60_000);
  const first = batcher.load("a");
  await new Promise((r) => setImmediate(r));
  const full = Promise.all([batcher.load("b"), batcher.load("c")]);
  assert.deepEqual(calls, [["a"], ["b", "c"]]);
  assert.deepEqual(await full, ["b", "c"]);
  release();
  await first;
});

test("when the running fetch finishes, the keys that gathered go without waiting for the window", async () => {
  const { batcher, calls, release } = gatedBatcher(100, 60_000);
  const first = batcher.load("a");
  await new Promise((r) => setImmediate(r));
  const waiting = Promise.all([batcher.load("b"), batcher.load("c")]);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(calls.length, 1);
  release();
  assert.equal(await first, "a");
  assert.deepEqual(await waiting, ["b", "c"]);
  assert.deepEqual(calls, [["a"], ["b", "c"]]);
});
