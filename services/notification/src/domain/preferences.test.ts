import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "@toko/kit/errors";
import { allows, choiceKey, preferenceViews, validateUpdate } from "./preferences.ts";

describe("preferences", () => {
  it("keeps transactional email and in-app on whatever is stored; marketing is opt-in", () => {
    const choices = new Map([
      [choiceKey("email", "orders"), false],
      [choiceKey("sms", "orders"), false],
    ]);
    assert.equal(allows(choices, "email", "orders"), true);
    assert.equal(allows(choices, "sms", "orders"), false);
    assert.equal(allows(new Map(), "sms", "orders"), true);
    assert.equal(allows(new Map(), "email", "marketing"), false);
    assert.equal(allows(new Map([[choiceKey("email", "marketing"), true]]), "email", "marketing"), true);
    assert.equal(preferenceViews(new Map()).length, 12);
  });

  it("refuses unknown names, duplicates and turning off a locked one, naming each field", () => {
    try {
      validateUpdate("fr", [
        { channel: "fax", category: "orders", enabled: true },
        { channel: "email", category: "orders", enabled: false },
        { channel: "sms", category: "promo", enabled: true },
        { channel: "sms", category: "orders", enabled: true },
        { channel: "sms", category: "orders", enabled: false },
      ]);
      assert.fail("expected a validation error");
    } catch (e) {
      assert.ok(e instanceof DomainError);
      assert.deepEqual(
        e.violations.map((v) => v.field),
        [
          "locale",
          "preferences[0].channel",
          "preferences[1].enabled",
          "preferences[2].category",
          "preferences[4]",
        ],
      );
    }
    assert.deepEqual(validateUpdate("", [{ channel: "sms", category: "orders", enabled: false }]), {
      locale: undefined,
      changes: [{ channel: "sms", category: "orders", enabled: false }],
    });
  });
});
