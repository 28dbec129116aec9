import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.alice.createLink({ url: "https://example.com/stats", alias: "stats-me" });
  await h.alice.createLink({ url: "https://example.com/other", alias: "other-one" });
});
after(() => h.stop());

const chrome =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const click = (code: string, at: string, referrerHost = "", userAgent = "", userAgentFamily = "") => ({
  code,
  at: new Date(at),
  referrerHost,
  userAgent,
  userAgentFamily,
});

test("a batch is aggregated per UTC day, referrer host and user-agent family", async () => {
  const batch = [
    click("stats-me", "2030-01-01T23:59:59.999Z", "https://www.Google.com/search?q=x", chrome),
    click("stats-me", "2030-01-02T00:00:00.000Z", "t.co", "curl/8.5.0"),
    click("stats-me", "2030-01-02T08:00:00.000Z", "t.co", "", "safari"),
    click("stats-me", "2030-01-02T09:00:00.000Z", "", "", "made-up-browser"),
    click("other-one", "2030-01-02T09:00:00.000Z", "t.co", chrome),
    click("no-such-code", "2030-01-02T09:00:00.000Z", "t.co", chrome),
  ];
  const { recorded } = await h.edge.recordClicks({ batchId: "batch-1", clicks: batch });
  assert.equal(recorded, 5);
  const stats = await h.alice.getLinkStats({ code: "stats-me" });
  assert.deepEqual(stats, {
    total: 4,
    perDay: [
      { date: "2030-01-01", clicks: 1 },
      { date: "2030-01-02", clicks: 3 },
    ],
    referrers: [
      { host: "t.co", clicks: 2 },
      { host: "www.google.com", clicks: 1 },
    ],
    userAgents: [
      { family: "Chrome", clicks: 1 },
      { family: "Other", clicks: 1 },
      { family: "Safari", clicks: 1 },
      { family: "curl", clicks: 1 },
    ],
  });
});

test("a retried batch is counted once, even when retried concurrently", async () => {
  const batch = [click("other-one", "2030-01-03T10:00:00Z"), click("other-one", "2030-01-03T11:00:00Z")];
  const results = await Promise.all(
    Array.from({ length: 4 }, () => h.edge.recordClicks({ batchId: "batch-2", clicks: batch })),
  );
  assert.deepEqual(
    results.map((r) => r.recorded),
    [2, 2, 2, 2],
  );
  const stats = await h.alice.getLinkStats({ code: "other-one" });
  assert.equal(stats.total, 3);
  assert.deepEqual(stats.perDay, [
    { date: "2030-01-02", clicks: 1 },
    { date: "2030-01-03", clicks: 2 },
  ]);
});

test("batches add up on the same aggregate rows", async () => {
  await h.edge.recordClicks({
    batchId: "batch-3",
    clicks: [click("stats-me", "2030-01-02T12:00:00Z", "t.co", "curl/8")],
  });
  const stats = await h.alice.getLinkStats({ code: "stats-me" });
  assert.equal(stats.total, 5);
  assert.deepEqual(stats.referrers[0], { host: "t.co", clicks: 3 });
  assert.deepEqual(stats.userAgents[0], { family: "curl", clicks: 2 });
});

test("stats are the owner's alone", async () => {
  await rejectsWithCode(h.bob.getLinkStats({ code: "stats-me" }), "NOT_FOUND");
  await rejectsWithCode(h.anonymous.getLinkStats({ code: "stats-me" }), "UNAUTHENTICATED");
  await rejectsWithCode(h.alice.getLinkStats({ code: "no-such-code" }), "NOT_FOUND");
});

test("a malformed batch is refused and counts nothing", async () => {
  await rejectsWithCode(
    h.edge.recordClicks({ batchId: "", clicks: [click("stats-me", "2030-01-05T00:00:00Z")] }),
    "VALIDATION_FAILED",
  );
  const error = await rejectsWithCode(
    h.edge.recordClicks({
      batchId: "batch-bad",
      clicks: [
        click("stats-me", "2030-01-05T00:00:00Z"),
        { ...click("stats-me", "2030-01-05T00:00:00Z"), at: undefined },
      ],
    }),
    "VALIDATION_FAILED",
  );
  assert.equal(error.violations[0]?.field, "clicks[1].at");
  assert.equal((await h.alice.getLinkStats({ code: "stats-me" })).total, 5);
  // The refused batch id was not burnt: a corrected retry counts.
  const { recorded } = await h.edge.recordClicks({
    batchId: "batch-bad",
    clicks: [click("stats-me", "2030-01-05T00:00:00Z")],
  });
  assert.equal(recorded, 1);
});

test("only an internal service reports clicks: anonymous callers and users change nothing", async () => {
  const before = (await h.alice.getLinkStats({ code: "stats-me" })).total;
  const batch = { batchId: "batch-forged", clicks: [click("stats-me", "2030-01-06T00:00:00Z")] };
  await rejectsWithCode(h.anonymous.recordClicks(batch), "UNAUTHENTICATED");
  await rejectsWithCode(h.alice.recordClicks(batch), "FORBIDDEN");
  assert.equal((await h.alice.getLinkStats({ code: "stats-me" })).total, before);
});
