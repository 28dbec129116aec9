import assert from "node:assert/strict";
import { test } from "node:test";
import { ACCOUNTS, captureEntry, lateCaptureEntries, ledgerEntry, refundEntry } from "./ledger.ts";

const sum = (postings: { amount: number }[]) => postings.reduce((s, p) => s + p.amount, 0);
const allocations = [
  { orderId: "o1", shopId: "s1", amount: 100_000, commission: 5_000 },
  { orderId: "o2", shopId: "s2", amount: 50_001, commission: 2_501 },
];

test("a capture balances and owes each shop its amount less commission", () => {
  const entry = captureEntry("n1", 150_001, allocations);
  assert.equal(sum(entry.postings), 0);
  assert.deepEqual(entry.postings, [
    { account: ACCOUNTS.providerClearing, amount: 150_001 },
    { account: "seller_payable:s1", amount: -95_000 },
    { account: "seller_payable:s2", amount: -47_500 },
    { account: ACCOUNTS.platformCommission, amount: -7_501 },
  ]);
});

test("a partial refund returns commission in proportion, rounded down, and balances", () => {
  const entry = refundEntry(
    "r1",
    33_333,
    allocations[1] as (typeof allocations)[number],
    ACCOUNTS.providerClearing,
  );
  assert.equal(sum(entry.postings), 0);
  // 33,333 × 2,501 / 50,001 = 1,667.2… → 1,667 back from the platform.
  assert.deepEqual(entry.postings, [
    { account: "seller_payable:s2", amount: 31_666 },
    { account: ACCOUNTS.platformCommission, amount: 1_667 },
    { account: ACCOUNTS.providerClearing, amount: -33_333 },
  ]);
});

test("a late payment is held for the buyer and returned: both entries balance, clearing nets to zero", () => {
  const entries = lateCaptureEntries("n1", "r1", 20_000);
  for (const e of entries) assert.equal(sum(e.postings), 0);
  const clearing = entries.flatMap((e) => e.postings).filter((p) => p.account === ACCOUNTS.providerClearing);
  assert.equal(sum(clearing), 0);
});

test("postings that do not sum to zero, fractions and one-sided entries are refused", () => {
  const refused = (fn: () => unknown) => assert.throws(fn, { code: "LEDGER_UNBALANCED" });
  refused(() =>
    ledgerEntry("capture", "x", [
      { account: "a", amount: 10 },
      { account: "b", amount: -9 },
    ]),
  );
  refused(() =>
    ledgerEntry("capture", "x", [
      { account: "a", amount: 0.5 },
      { account: "b", amount: -0.5 },
    ]),
  );
  refused(() => ledgerEntry("capture", "x", [{ account: "a", amount: 0 }]));
});
