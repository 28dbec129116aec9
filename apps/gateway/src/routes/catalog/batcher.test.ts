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
