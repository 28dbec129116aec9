import assert from "node:assert/strict";
import { test } from "node:test";
import { GENERATED_CODE_LENGTH, isCodeShaped, randomCode } from "./code.ts";

test("generated codes are base62 of the configured length", () => {
  for (let i = 0; i < 200; i++) {
    const code = randomCode();
    assert.match(code, /^[0-9A-Za-z]+$/);
    assert.equal(code.length, GENERATED_CODE_LENGTH);
  }
  assert.ok(GENERATED_CODE_LENGTH >= 7);
  assert.equal(randomCode(12).length, 12);
});

test("generated codes do not repeat and use the whole alphabet", () => {
  const codes = new Set(Array.from({ length: 2000 }, () => randomCode()));
  assert.equal(codes.size, 2000);
  const seen = new Set([...codes].join(""));
  assert.equal(seen.size, 62);
});

test("code shape check rejects what can never be a code", () => {
  assert.ok(isCodeShaped("aB3_-x9"));
  assert.ok(!isCodeShaped(""));
  assert.ok(!isCodeShaped("a/b"));
  assert.ok(!isCodeShaped("é"));
  assert.ok(!isCodeShaped("x".repeat(33)));
});
