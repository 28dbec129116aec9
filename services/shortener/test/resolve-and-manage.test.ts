import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

describe("ResolveLink", () => {
  test("anyone resolves a live link; no expiry means a permanent (301) link", async () => {
    await h.alice.createLink({ url: "https://example.com/forever", alias: "forever" });
    const res = await h.anonymous.resolveLink({ code: "forever" });
    assert.deepEqual(res, { url: "https://example.com/forever", expiresAt: undefined });
  });

  test("codes resolve exactly as created", async () => {
    await rejectsWithCode(h.anonymous.resolveLink({ code: "FOREVER" }), "NOT_FOUND");
  });

  test("unknown and malformed codes are NOT_FOUND", async () => {
    await rejectsWithCode(h.anonymous.resolveLink({ code: "nope123" }), "NOT_FOUND");
    await rejectsWithCode(h.anonymous.resolveLink({ code: "../etc/passwd" }), "NOT_FOUND");
    await rejectsWithCode(h.anonymous.resolveLink({ code: "" }), "NOT_FOUND");
  });

  test("expiry is honoured exactly at the boundary, even for a cached resolution", async () => {
    const expiresAt = new Date("2032-01-01T00:00:00.000Z");
    h.clock.pin(expiresAt.getTime() - 60_000);
    try {
      await h.alice.createLink({ url: "https://example.com/sale", alias: "flash-sale", expiresAt });
      h.clock.pin(expiresAt.getTime() - 1);
      const res = await h.anonymous.resolveLink({ code: "flash-sale" }); // now cached
      assert.deepEqual(res, { url: "https://example.com/sale", expiresAt });
      h.clock.pin(expiresAt.getTime());
      await rejectsWithCode(h.anonymous.resolveLink({ code: "flash-sale" }), "NOT_FOUND");
      h.clock.pin(expiresAt.getTime() + 1);
      await rejectsWithCode(h.anonymous.resolveLink({ code: "flash-sale" }), "NOT_FOUND");
    } finally {
      h.clock.pinned = undefined;
    }
  });

  test("a disabled link stops resolving at once, though it was cached", async () => {
    await h.alice.createLink({ url: "https://example.com/off", alias: "switch-off" });
    await h.anonymous.resolveLink({ code: "switch-off" });
    const { link } = await h.alice.disableLink({ code: "switch-off" });
    assert.equal(link?.disabled, true);
    await rejectsWithCode(h.anonymous.resolveLink({ code: "switch-off" }), "NOT_FOUND");
    // Disabling again is harmless.
    assert.equal((await h.alice.disableLink({ code: "switch-off" })).link?.disabled, true);
  });
});

describe("owner views", () => {
  test("GetLink and DisableLink are the owner's alone: another user gets NOT_FOUND", async () => {
    await h.alice.createLink({ url: "https://example.com/mine", alias: "alices-link" });
    assert.equal((await h.alice.getLink({ code: "alices-link" })).link?.ownerId, "alice");
    await rejectsWithCode(h.bob.getLink({ code: "alices-link" }), "NOT_FOUND");
    await rejectsWithCode(h.bob.disableLink({ code: "alices-link" }), "NOT_FOUND");
    await rejectsWithCode(h.anonymous.getLink({ code: "alices-link" }), "UNAUTHENTICATED");
    assert.equal((await h.anonymous.resolveLink({ code: "alices-link" })).url, "https://example.com/mine");
  });

  test("ListLinks pages through the caller's links, newest first", async () => {
    for (let i = 0; i < 5; i++)
      await h.bob.createLink({ url: `https://example.com/b${i}`, alias: `bobs-${i}` });
    const first = await h.bob.listLinks({ page: { limit: 2, cursor: "" } });
    assert.deepEqual(
      first.links.map((l) => l.code),
      ["bobs-4", "bobs-3"],
    );
    const second = await h.bob.listLinks({ page: { limit: 2, cursor: first.page?.nextCursor ?? "" } });
    const third = await h.bob.listLinks({ page: { limit: 2, cursor: second.page?.nextCursor ?? "" } });
    assert.deepEqual(
      [...second.links, ...third.links].map((l) => l.code),
      ["bobs-2", "bobs-1", "bobs-0"],
    );
    assert.equal(third.page?.nextCursor, "");
    assert.ok(third.links.every((l) => l.ownerId === "bob"));
  });

  test("ListLinks refuses a bad limit or cursor", async () => {
    await rejectsWithCode(h.bob.listLinks({ page: { limit: 101, cursor: "" } }), "VALIDATION_FAILED");
    await rejectsWithCode(h.bob.listLinks({ page: { limit: 5, cursor: "garbage!" } }), "VALIDATION_FAILED");
  });
});
