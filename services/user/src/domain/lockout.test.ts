import assert from "node:assert/strict";
import { test } from "node:test";
import { type FailureRecord, type LockoutPolicy, recordFailure, remainingLockMs } from "./lockout.ts";

const policy: LockoutPolicy = { threshold: 3, baseDelayMs: 1000, maxDelayMs: 5000, resetAfterMs: 60_000 };
const at = (ms: number) => new Date(ms);

test("no lock below the threshold; then each failure doubles the lock up to the cap", () => {
  let r: FailureRecord | undefined;
  const delays: number[] = [];
  let t = 0;
  for (let i = 0; i < 6; i++) {
    r = recordFailure(r, at(t), policy);
    delays.push(remainingLockMs(r, at(t)));
    t += remainingLockMs(r, at(t)) + 1;
  }
  assert.deepEqual(delays, [0, 0, 1000, 2000, 4000, 5000]);
});

test("a quiet period longer than resetAfterMs starts the count again", () => {
  let r = recordFailure(undefined, at(0), policy);
  r = recordFailure(r, at(1), policy);
  r = recordFailure(r, at(2), policy);
  assert.equal(remainingLockMs(r, at(2)), 1000);
  const later = recordFailure(r, at(1002 + 60_001), policy);
  assert.equal(later.failures, 1);
  assert.equal(remainingLockMs(later, at(1002 + 60_001)), 0);
});
