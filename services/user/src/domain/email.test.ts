import assert from "node:assert/strict";
import { test } from "node:test";
import { emailProblem, normaliseEmail } from "./email.ts";
import { normalisePhone } from "./phone.ts";

test("emails are trimmed, lower-cased and NFC-normalised", () => {
  assert.equal(normaliseEmail("  Budi@Example.COM\n"), "budi@example.com");
  assert.equal(normaliseEmail("jose\u0301@example.com"), "jos\u00e9@example.com");
});

test("email shape: one @, a dotted domain, no spaces, at most 254 characters", () => {
  assert.equal(emailProblem("budi@example.com"), undefined);
  assert.equal(emailProblem(""), "is required");
  for (const bad of ["budi", "budi@", "@example.com", "budi@example", "bu di@example.com", "a@b@c.com"]) {
    assert.ok(emailProblem(bad), bad);
  }
  assert.ok(emailProblem(`${"a".repeat(60)}@${"b".repeat(200)}.com`));
});

test("Indonesian phone numbers normalise to +62", () => {
  assert.equal(normalisePhone("0812-3456-7890"), "+6281234567890");
  assert.equal(normalisePhone("+62 812 3456 789"), "+628123456789");
  assert.equal(normalisePhone("6281234567890"), "+6281234567890");
  assert.equal(normalisePhone("021-555-1234"), undefined);
  assert.equal(normalisePhone("+1 415 555 0100"), undefined);
});
