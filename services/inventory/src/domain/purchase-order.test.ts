import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@toko/kit/errors";
import { assertTransition, receive } from "./purchase-order.ts";

const line = (sku: string, quantity: number, received = 0, rejected = 0) => ({
  sku,
  quantity,
  unitCost: 1000,
  received,
  rejected,
});

test("a partial delivery leaves the order partially received; rejected units stay owed", () => {
  const first = receive([line("A", 10), line("B", 5)], [{ sku: "A", received: 6, rejected: 2 }]);
  assert.equal(first.status, "partially_received");
  assert.deepEqual(first.lines[0], line("A", 10, 6, 2));
  const second = receive(first.lines, [
    { sku: "A", received: 4, rejected: 0 },
    { sku: "B", received: 5, rejected: 1 },
  ]);
  assert.equal(second.status, "received");
});

test("accepting more than is outstanding is refused", () => {
  assert.throws(
    () => receive([line("A", 10, 8)], [{ sku: "A", received: 3, rejected: 0 }]),
    (e: unknown) => e instanceof DomainError && e.violations[0]?.field === "lines[0].received",
  );
  assert.throws(() => receive([line("A", 10)], [{ sku: "X", received: 1, rejected: 0 }]), DomainError);
  assert.throws(() => receive([line("A", 10)], [{ sku: "A", received: -1, rejected: 2 }]), DomainError);
});

test("the state machine allows only its edges", () => {
  assertTransition("draft", "send");
  assertTransition("sent", "cancel");
  assertTransition("partially_received", "close");
  assert.throws(() => assertTransition("draft", "receive"), /cannot receive/);
  assert.throws(() => assertTransition("partially_received", "cancel"), /cannot cancel/);
  assert.throws(() => assertTransition("closed", "close"), /cannot close/);
});
