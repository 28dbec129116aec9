import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFault, faultSchedule } from "./schedule.ts";

const services = [
  "user",
  "oauth2",
  "product",
  "inventory",
  "cart",
  "order",
  "payment",
  "shipping",
  "gateway",
];

test("a 300 s schedule kills a service every few seconds and takes turns with the other faults", () => {
  const schedule = faultSchedule({ durationS: 300, services, seed: 3 });
  const kills = schedule.filter((f) => f.fault.kind === "kill");
  const kinds = new Set(schedule.map((f) => f.fault.kind));
  assert.deepEqual([...kinds].sort(), ["cut-bus", "kill", "pause-postgres", "slow-payments"]);
  assert.ok(kills.length >= 20, `${kills.length} kills`);
  // Faults only between the end of the ramp and 85% of the run: the rest heals.
  for (const f of schedule) assert.ok(f.at >= 20 && f.at < 255, `${f.at}`);
  for (let i = 1; i < schedule.length; i++)
    assert.ok((schedule[i]?.at ?? 0) >= (schedule[i - 1]?.at ?? 0), "sorted by time");
});

test("a killed service is left alone long enough for the launcher to keep restarting it", () => {
  const schedule = faultSchedule({ durationS: 600, services, seed: 11, killEveryS: 3, sameServiceGapS: 40 });
  const last = new Map<string, number>();
  for (const f of schedule) {
    if (f.fault.kind !== "kill") continue;
    const before = last.get(f.fault.service);
    if (before !== undefined) assert.ok(f.at - before >= 39.9, `${f.fault.service} at ${before} and ${f.at}`);
    last.set(f.fault.service, f.at);
  }
});

test("the schedule is fixed by its seed", () => {
  assert.deepEqual(
    faultSchedule({ durationS: 120, services, seed: 5 }),
    faultSchedule({ durationS: 120, services, seed: 5 }),
  );
  assert.notDeepEqual(
    faultSchedule({ durationS: 120, services, seed: 5 }),
    faultSchedule({ durationS: 120, services, seed: 6 }),
  );
});

test("faults are described for the report", () => {
  assert.equal(describeFault({ kind: "kill", service: "order" }), "SIGKILL order");
  assert.equal(describeFault({ kind: "pause-postgres", seconds: 3 }), "pause PostgreSQL 3 s");
  assert.match(describeFault({ kind: "slow-payments", seconds: 15, delayMs: 4000 }), /\+4000 ms/);
});
