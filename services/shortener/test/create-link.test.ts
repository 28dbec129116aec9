import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { LinkCreated } from "@toko/contracts/toko/shortener/v1/events";
import { decodeEnvelope } from "@toko/kit";
import { countRows, rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

describe("CreateLink", () => {
  test("a generated code: base62, ≥ 7 characters, owned by the caller, with its short URL", async () => {
    const { link } = await h.alice.createLink({ url: "https://www.example.com/a?b=c", alias: "" });
    assert.ok(link);
    assert.match(link.code, /^[0-9A-Za-z]{7,}$/);
    assert.equal(link.url, "https://www.example.com/a?b=c");
    assert.equal(link.ownerId, "alice");
    assert.equal(link.customAlias, false);
    assert.equal(link.disabled, false);
    assert.equal(link.expiresAt, undefined);
    assert.equal(link.shortUrl, `http://toko.test:8080/s/${link.code}`);
  });

  test("LinkCreated is written to the outbox with the link", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { link } = await h.alice.createLink({
      url: "https://example.com/evt",
      alias: "evt-link",
      expiresAt,
    });
    const { rows } = await h.db.pool.query<{ type: string; envelope: Buffer }>(
      "SELECT type, envelope FROM kit_outbox WHERE subject = $1",
      ["evt-link"],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.type, "toko.shortener.v1.LinkCreated");
    const envelope = decodeEnvelope(rows[0]?.envelope ?? Buffer.alloc(0));
    assert.equal(envelope.source, "shortener");
    const event = LinkCreated.decode(envelope.payload);
    assert.deepEqual(event, {
      code: "evt-link",
      url: "https://example.com/evt",
      ownerId: "alice",
      expiresAt,
      createdAt: link?.createdAt,
    });
  });

  test("a create rolled back at commit leaves neither the link nor its event", async () => {
    // A deferred trigger fails the commit after both rows were written in the transaction.
    await h.db.pool.query(`
      CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN IF NEW.subject = 'doomed' THEN RAISE EXCEPTION 'commit refused'; END IF; RETURN NEW; END $$;
      CREATE CONSTRAINT TRIGGER fail_commit AFTER INSERT ON kit_outbox
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_commit();`);
    const links = await countRows(h.db.pool, "links");
    const events = await countRows(h.db.pool, "kit_outbox");
    await assert.rejects(h.alice.createLink({ url: "https://example.com/", alias: "doomed" }));
    assert.equal(await countRows(h.db.pool, "links"), links);
    assert.equal(await countRows(h.db.pool, "kit_outbox"), events);
  });

  test("a custom alias, and the same alias again in any letter case → ALIAS_TAKEN", async () => {
    const { link } = await h.alice.createLink({ url: "https://example.com/promo", alias: "Promo_2030" });
    assert.equal(link?.code, "Promo_2030");
    assert.equal(link?.customAlias, true);
    await rejectsWithCode(
      h.bob.createLink({ url: "https://example.com/x", alias: "Promo_2030" }),
      "ALIAS_TAKEN",
    );
    await rejectsWithCode(
      h.bob.createLink({ url: "https://example.com/x", alias: "promo_2030" }),
      "ALIAS_TAKEN",
    );
  });

  test("concurrent creates of one alias: exactly one wins, the rest are ALIAS_TAKEN", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? h.alice : h.bob).createLink({ url: `https://example.com/${i}`, alias: "race-alias" }),
      ),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    assert.equal(won.length, 1);
    for (const a of attempts) if (a.status === "rejected") assert.equal(a.reason.code, "ALIAS_TAKEN");
  });

  test("many concurrent generated creates all get distinct codes", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? h.alice : h.bob).createLink({ url: `https://example.com/many/${i}`, alias: "" }),
      ),
    );
    const codes = new Set(results.map((r) => r.link?.code));
    assert.equal(codes.size, 40);
  });

  test("a generated code that collides (even by letter case) is retried with a new one", async () => {
    await h.alice.createLink({ url: "https://example.com/taken", alias: "Taken77" });
    h.scriptedCodes.push("Taken77", "taken77", "Fresh77");
    const { link } = await h.alice.createLink({ url: "https://example.com/next", alias: "" });
    assert.equal(link?.code, "Fresh77");
    assert.equal(h.scriptedCodes.length, 0);
  });

  test("an anonymous caller is UNAUTHENTICATED", async () => {
    await rejectsWithCode(
      h.anonymous.createLink({ url: "https://example.com/", alias: "" }),
      "UNAUTHENTICATED",
    );
  });
});

describe("CreateLink validation: VALIDATION_FAILED with a field violation, nothing stored", () => {
  const cases: [string, { url: string; alias?: string; expiresAt?: Date }, string, RegExp][] = [
    ["ftp scheme", { url: "ftp://example.com/file" }, "url", /http or https/],
    ["javascript scheme", { url: "javascript:alert(1)" }, "url", /http or https/],
    ["relative URL", { url: "/just/a/path" }, "url", /absolute/],
    ["empty URL", { url: "" }, "url", /required/],
    ["2,049 characters", { url: `https://example.com/${"a".repeat(2029)}` }, "url", /at most 2048/],
    ["credentials", { url: "https://user:secret@example.com/" }, "url", /credentials/],
    ["Toko's own host (loop)", { url: "https://TOKO.test/s/abc" }, "url", /loop/],
    ["unicode alias", { url: "https://example.com/", alias: "diskon-héboh" }, "alias", /ASCII/],
    ["emoji alias", { url: "https://example.com/", alias: "sale🎉" }, "alias", /ASCII/],
    ["short alias", { url: "https://example.com/", alias: "ab" }, "alias", /3 to 32/],
    ["long alias", { url: "https://example.com/", alias: "a".repeat(33) }, "alias", /3 to 32/],
    ["alias with a slash", { url: "https://example.com/", alias: "a/b/c" }, "alias", /letters, digits/],
    ["reserved alias", { url: "https://example.com/", alias: "Docs" }, "alias", /reserved/],
    [
      "expiry in the past",
      { url: "https://example.com/", expiresAt: new Date(Date.now() - 1000) },
      "expires_at",
      /future/,
    ],
  ];
  for (const [name, input, field, message] of cases) {
    test(name, async () => {
      const before = await countRows(h.db.pool, "links");
      const error = await rejectsWithCode(h.alice.createLink({ alias: "", ...input }), "VALIDATION_FAILED");
      assert.equal(error.violations[0]?.field, field);
      assert.match(error.violations[0]?.message ?? "", message);
      assert.match(error.message, message);
      assert.equal(await countRows(h.db.pool, "links"), before);
    });
  }

  test("an expiry exactly now is refused; a millisecond later is accepted", async () => {
    h.clock.pin(Date.parse("2031-05-05T10:00:00.000Z"));
    try {
      await rejectsWithCode(
        h.alice.createLink({
          url: "https://example.com/",
          alias: "",
          expiresAt: new Date("2031-05-05T10:00:00.000Z"),
        }),
        "VALIDATION_FAILED",
      );
      const { link } = await h.alice.createLink({
        url: "https://example.com/",
        alias: "",
        expiresAt: new Date("2031-05-05T10:00:00.001Z"),
      });
      assert.equal(link?.expiresAt?.toISOString(), "2031-05-05T10:00:00.001Z");
    } finally {
      h.clock.pinned = undefined;
    }
  });

  test("every problem is reported at once", async () => {
    const error = await rejectsWithCode(
      h.alice.createLink({ url: "ftp://x", alias: "é", expiresAt: new Date(0) }),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(
      error.violations.map((v) => v.field),
      ["url", "alias", "expires_at"],
    );
  });
});
