import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@toko/kit/errors";
import { commitTransition, expireTransition, normalizeReserve, releaseTransition } from "./reservation.ts";

test("lines are merged per shop SKU and sorted into one canonical key", () => {
  const a = normalizeReserve(
    "c1",
    [
      { shopId: "s2", sku: "B", quantity: 1 },
      { shopId: "s1", sku: "Z", quantity: 2 },
      { shopId: "s2", sku: "B", quantity: 3 },
    ],
    60,
  );
  assert.deepEqual(
    a.lines.map((l) => [l.shopId, l.sku, l.quantity]),
    [
      ["s1", "Z", 2],
      ["s2", "B", 4],
    ],
  );
  const b = normalizeReserve(
    "c1",
    [
      { shopId: "s2", sku: "B", quantity: 4 },
      { shopId: "s1", sku: "Z", quantity: 2 },
    ],
    60,
  );
  assert.equal(a.requestKey, b.requestKey);
});

test("bad requests name every bad field", () => {
  try {
    normalizeReserve("", [{ shopId: "s", sku: "", quantity: -1 }], 0);
    assert.fail("expected an error");
  } catch (error) {
    assert.ok(error instanceof DomainError);
    assert.deepEqual(
      error.violations.map((v) => v.field).sort(),
      ["checkout_id", "lines[0].quantity", "lines[0].sku", "ttl_seconds"].sort(),
    );
  }
});

test("commit and release are idempotent and refuse each other's final states", () => {
  assert.deepEqual(commitTransition("held"), { kind: "apply", next: "committed" });
  assert.deepEqual(commitTransition("committed"), { kind: "noop" });
  const afterRelease = commitTransition("released");
  assert.ok(
    afterRelease.kind === "reject" && (afterRelease.error as DomainError).code === "RESERVATION_RELEASED",
  );
  assert.equal(commitTransition("expired").kind, "reject");
  assert.deepEqual(releaseTransition("held"), { kind: "apply", next: "released" });
  assert.deepEqual(releaseTransition("released"), { kind: "noop" });
  assert.deepEqual(releaseTransition("expired"), { kind: "noop" });
  const afterCommit = releaseTransition("committed");
  assert.ok(
    afterCommit.kind === "reject" && (afterCommit.error as DomainError).code === "RESERVATION_COMMITTED",
  );
});

test("only a held reservation past its TTL expires", () => {
  const at = new Date("2025-01-01T00:00:10Z");
  assert.equal(expireTransition("held", at, new Date("2025-01-01T00:00:09Z")).kind, "noop");
  assert.equal(expireTransition("held", at, at).kind, "apply");
  assert.equal(expireTransition("committed", at, new Date("2025-01-02T00:00:00Z")).kind, "noop");
});
