import assert from "node:assert/strict";
import { test } from "node:test";
import { RestartPolicy } from "./restart-policy.ts";

const options = { initialDelayMs: 100, maxDelayMs: 1_000, stableAfterMs: 5_000, maxFastCrashes: 5 };

test("fast crashes back off exponentially up to the cap, then give up", () => {
  const policy = new RestartPolicy(options);
  const delays = [1, 2, 3, 4, 5].map(() => policy.onCrash(10));
  assert.deepEqual(
    delays.map((d) => (d.action === "restart" ? d.delayMs : d.action)),
    [100, 200, 400, 800, 1_000],
  );
  assert.deepEqual(policy.onCrash(10), { action: "give-up", crashes: 6 });
});

test("a process that stayed up a while starts again from the first delay", () => {
  const policy = new RestartPolicy(options);
  policy.onCrash(10);
  policy.onCrash(10);
  assert.deepEqual(policy.onCrash(5_000), { action: "restart", delayMs: 100, attempt: 1 });
});
