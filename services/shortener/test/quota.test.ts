import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness({ LINK_QUOTA_PER_DAY: "3" });
});
after(() => h.stop());

test("concurrent creates beyond the daily quota: exactly the quota succeeds, the rest QUOTA_EXCEEDED", async () => {
  h.clock.pin(Date.parse("2033-03-01T12:00:00Z"));
  const attempts = await Promise.allSettled(
    Array.from({ length: 7 }, (_, i) => h.alice.createLink({ url: `https://example.com/${i}`, alias: "" })),
  );
  assert.equal(attempts.filter((a) => a.status === "fulfilled").length, 3);
  for (const a of attempts) if (a.status === "rejected") assert.equal(a.reason.code, "QUOTA_EXCEEDED");
  // Other users have their own quota.
  await h.bob.createLink({ url: "https://example.com/bob", alias: "" });
});

test("the quota is a rolling 24 hours", async () => {
  h.clock.pin(Date.parse("2033-03-02T11:59:59Z"));
  const error = await rejectsWithCode(
    h.alice.createLink({ url: "https://example.com/", alias: "" }),
    "QUOTA_EXCEEDED",
  );
  assert.match(error.message, /3 links per 24 hours/);
  h.clock.pin(Date.parse("2033-03-02T12:00:00Z"));
  await h.alice.createLink({ url: "https://example.com/again", alias: "" });
});
