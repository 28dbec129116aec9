import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClickBuffer, type ClickEvent } from "./click-buffer.ts";

const click = (code: string): ClickEvent => ({
  code,
  at: new Date(),
  referrerHost: "",
  userAgent: "",
  userAgentFamily: "Other",
});

describe("ClickBuffer", () => {
  it("sends clicks in batches of at most maxBatch, in order", async () => {
    const sent: { id: string; codes: string[] }[] = [];
    const buffer = new ClickBuffer({
      maxBatch: 2,
      flushEveryMs: 60_000,
      send: async (id, clicks) => {
        sent.push({ id, codes: clicks.map((c) => c.code) });
      },
    });
    for (const code of ["a", "b", "c"]) buffer.record(click(code));
    await buffer.close();
    assert.deepEqual(
      sent.map((s) => s.codes),
      [["a", "b"], ["c"]],
    );
    assert.notEqual(sent[0]?.id, sent[1]?.id);
    assert.equal(buffer.buffered, 0);
  });

  it("retries a failed batch with the same batch id", async () => {
    const ids: string[] = [];
    let fail = true;
    const errors: unknown[] = [];
    const buffer = new ClickBuffer({
      flushEveryMs: 60_000,
      send: async (id) => {
        ids.push(id);
        if (fail) throw new Error("unavailable");
      },
      onError: (e) => errors.push(e),
    });
    buffer.record(click("a"));
    await buffer.flush();
    assert.equal(buffer.buffered, 1);
    assert.equal(errors.length, 1);
    fail = false;
    await buffer.close();
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.equal(buffer.buffered, 0);
  });

  it("drops the oldest clicks beyond its bound and reports how many", async () => {
    let dropped = 0;
    const delivered: string[] = [];
    let up = false;
    const buffer = new ClickBuffer({
      maxBatch: 10,
      maxBuffered: 3,
      flushEveryMs: 60_000,
      send: async (_id, clicks) => {
        if (!up) throw new Error("down");
        delivered.push(...clicks.map((c) => c.code));
      },
      onDropped: (n) => {
        dropped += n;
      },
    });
    buffer.record(click("a"));
    buffer.record(click("b"));
    await buffer.flush(); // fails: a and b wait for the next try
    for (const code of ["c", "d", "e"]) buffer.record(click(code));
    assert.equal(buffer.buffered, 3);
    assert.equal(dropped, 2);
    up = true;
    await buffer.close();
    assert.deepEqual(delivered, ["c", "d", "e"]);
  });
});
