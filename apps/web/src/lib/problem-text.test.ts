import assert from "node:assert/strict";
import { test } from "node:test";
import { en } from "../i18n/messages.ts";
import { problemText } from "./problem-text.ts";

const translate = (key: string) => (en as Record<string, string>)[key] ?? "";

test("a known code reads in words, with the server's detail under it", () => {
  assert.deepEqual(problemText({ status: 409, code: "OUT_OF_STOCK", detail: "TAS-1: 2 left" }, translate), {
    message: "Sorry, some items just ran out of stock.",
    details: ["TAS-1: 2 left"],
    code: "OUT_OF_STOCK",
  });
});

test("a validation failure lists the fields to fix", () => {
  const t = problemText(
    {
      status: 422,
      code: "VALIDATION_FAILED",
      detail: "the request does not match the schema",
      errors: [{ field: "postal_code", message: "must be 5 digits" }],
    },
    translate,
  );
  assert.equal(t.message, "Please check what you entered.");
  assert.deepEqual(t.details, ["postal_code: must be 5 digits"]);
});

test("an unknown code falls back to the server's sentence; 5xx and network failures never show internals", () => {
  assert.equal(
    problemText({ status: 422, code: "VOUCHER_EXPIRED", detail: "the voucher expired" }, translate).message,
    "the voucher expired",
  );
  const down = problemText(
    { status: 503, code: "SERVICE_UNAVAILABLE", detail: "upstream cart: connect ECONNREFUSED" },
    translate,
  );
  assert.equal(down.message, "The service is busy right now. Please try again shortly.");
  assert.deepEqual(down.details, []);
  assert.equal(
    problemText({ status: 0, code: "NETWORK" }, translate).message,
    "No connection. Check your internet and try again.",
  );
  assert.equal(problemText({ status: 418 }, translate).message, "Something went wrong. Please try again.");
});
