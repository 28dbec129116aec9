import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCommonPasswords } from "../infrastructure/common-passwords.ts";
import { PasswordPolicy } from "./password-policy.ts";

const policy = new PasswordPolicy(loadCommonPasswords());

test("the bundled list holds thousands of common passwords, all lower case and 8+ characters", () => {
  const list = loadCommonPasswords();
  assert.ok(list.size > 5000, `only ${list.size}`);
  for (const p of ["password", "12345678", "qwerty123", "iloveyou", "sayang123", "bismillah", "p@ssw0rd"]) {
    assert.ok(list.has(p), p);
  }
  for (const p of list) assert.ok(p.length >= 8 && p === p.toLowerCase(), p);
});

test("length counts characters: 8 to 128", () => {
  assert.match(policy.problem("Ab3$xyz", "a@b.co") ?? "", /at least 8/);
  assert.equal(policy.problem("Kopi-Susu-7", "a@b.co"), undefined);
  assert.equal(policy.problem("日本語のパスワード", "a@b.co"), undefined);
  assert.match(policy.problem("x".repeat(129), "a@b.co") ?? "", /at most 128/);
});

test("common passwords are refused in any letter case", () => {
  assert.match(policy.problem("PassWord123", "a@b.co") ?? "", /too common/);
  assert.match(policy.problem("CintaKu123", "a@b.co") ?? "", /too common/);
});

test("the email or its local part is refused", () => {
  assert.match(policy.problem("Budi.Santoso@Example.com", "budi.santoso@example.com") ?? "", /email/);
  assert.match(policy.problem("BUDI.SANTOSO", "budi.santoso@example.com") ?? "", /email/);
  assert.equal(policy.problem("budi.santoso-kopi-7", "budi.santoso@example.com"), undefined);
});
