import assert from "node:assert/strict";
import { test } from "node:test";
import { waitFor, waitForValue } from "./wait.ts";

test("waitForValue returns the first value, treating undefined and throws as not yet", async () => {
  let calls = 0;
  const value = await waitForValue(async () => {
    calls++;
    if (calls === 1) throw new Error("connection refused");
    return calls < 3 ? undefined : { calls };
  }, "the third call");
  assert.deepEqual(value, { calls: 3 });
});

test("a value that never comes fails naming it, with the probe's last error as the cause", async () => {
  const error = await waitForValue(
    async () => {
      throw new Error("still refusing");
    },
    "a server that never starts",
    100,
  ).then(
    () => undefined,
    (e: unknown) => e as Error & { cause?: Error },
  );
  assert.match(error?.message ?? "", /timed out waiting for a server that never starts/);
  assert.equal(error?.cause?.message, "still refusing");
});

test("waitFor polls a condition and fails naming it", async () => {
  let n = 0;
  await waitFor(() => ++n >= 3, "three polls");
  assert.equal(n, 3);
  await assert.rejects(
    waitFor(() => false, "the impossible", 50),
    /timed out waiting for the impossible/,
  );
});
