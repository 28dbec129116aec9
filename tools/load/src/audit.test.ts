import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type AuditSnapshot,
  audit,
  auditLine,
  checkEvents,
  checkOrders,
  checkPayments,
  checkReservations,
  checkStock,
} from "./audit.ts";

/** A consistent platform: one paid checkout, one cancelled after a declined payment, one awaiting payment. */
function healthy(): AuditSnapshot {
  return {
    checkouts: [
      { id: "c1", status: "PAID", method: "ewallet", paymentId: "p1", paymentStatus: "SUCCEEDED" },
      { id: "c2", status: "CANCELLED", method: "bank_transfer_va", paymentId: "p2", paymentStatus: "FAILED" },
      { id: "c3", status: "AWAITING_PAYMENT", method: "ewallet", paymentId: "p3", paymentStatus: "PENDING" },
    ],
    orders: [
      {
        id: "o1",
        checkoutId: "c1",
        status: "PAID",
        total: 1000,
        refunded: 0,
        paymentMethod: "ewallet",
        paid: true,
      },
      {
        id: "o1b",
        checkoutId: "c1",
        status: "SHIPPED",
        total: 500,
        refunded: 0,
        paymentMethod: "ewallet",
        paid: true,
      },
      {
        id: "o2",
        checkoutId: "c2",
        status: "CANCELLED",
        total: 700,
        refunded: 0,
        paymentMethod: "bank_transfer_va",
        paid: false,
      },
      {
        id: "o3",
        checkoutId: "c3",
        status: "AWAITING_PAYMENT",
        total: 300,
        refunded: 0,
        paymentMethod: "ewallet",
        paid: false,
      },
    ],
    payments: [
      {
        id: "p1",
        checkoutId: "c1",
        status: "SUCCEEDED",
        method: "ewallet",
        amount: 1500,
        captured: 1500,
        refunded: 0,
      },
      {
        id: "p2",
        checkoutId: "c2",
        status: "FAILED",
        method: "bank_transfer_va",
        amount: 700,
        captured: 0,
        refunded: 0,
      },
      {
        id: "p3",
        checkoutId: "c3",
        status: "PENDING",
        method: "ewallet",
        amount: 300,
        captured: 0,
        refunded: 0,
      },
    ],
    captures: new Map([["p1", 1]]),
    refunds: [],
    stock: [
      {
        warehouseId: "w1",
        sku: "KOPI-1",
        onHand: 98,
        reserved: 1,
        ledgerOnHand: 98,
        ledgerReserved: 1,
        heldReservations: 1,
      },
    ],
    reservations: [
      { checkoutId: "c1", status: "committed" },
      { checkoutId: "c2", status: "released" },
      { checkoutId: "c3", status: "held" },
    ],
    outboxPending: new Map([
      ["order", 0],
      ["payment", 0],
    ]),
    busLag: new Map([["order.payments", 0]]),
    deadLetters: [],
    overdueTimers: new Map([["order", 0]]),
    undeliveredNotifications: 0,
  };
}

function failsWith(result: { ok: boolean; detail: string }, pattern: RegExp) {
  assert.equal(result.ok, false, "the check should fail");
  assert.match(result.detail, pattern);
}

describe("chaos audit", () => {
  test("a consistent platform passes every check", () => {
    const results = audit(healthy());
    assert.deepEqual(
      results.filter((r) => !r.ok),
      [],
    );
    assert.equal(auditLine(results), "chaos audit: 5 passed, 0 failed");
  });

  test("orders: an order left behind by its checkout, or a checkout stuck in the saga, fails", () => {
    const s = healthy();
    s.orders[2] = { ...(s.orders[2] as (typeof s.orders)[number]), status: "AWAITING_PAYMENT" };
    failsWith(checkOrders(s), /o2 is AWAITING_PAYMENT but its checkout is CANCELLED/);
    const stuck = healthy();
    stuck.checkouts.push({
      id: "c4",
      status: "RESERVING",
      method: "ewallet",
      paymentId: null,
      paymentStatus: null,
    });
    failsWith(checkOrders(stuck), /c4 stuck RESERVING/);
    const paidNotCommitted = healthy();
    paidNotCommitted.checkouts[2] = {
      ...(paidNotCommitted.checkouts[2] as (typeof paidNotCommitted.checkouts)[number]),
      paymentStatus: "SUCCEEDED",
    };
    failsWith(checkOrders(paidNotCommitted), /c3 was paid but never committed/);
    const orphan = healthy();
    orphan.orders.push({
      ...(orphan.orders[0] as (typeof orphan.orders)[number]),
      id: "o9",
      checkoutId: "nope",
    });
    failsWith(checkOrders(orphan), /o9 has no checkout/);
  });

  test("stock: a level that differs from its ledger or from the held reservations fails", () => {
    const s = healthy();
    (s.stock[0] as (typeof s.stock)[number]).onHand = 97;
    failsWith(checkStock(s), /on_hand 97 but ledger sums 98/);
    const held = healthy();
    (held.stock[0] as (typeof held.stock)[number]).heldReservations = 3;
    failsWith(checkStock(held), /reserved 1 but held reservations hold 3/);
  });

  test("reservations: a cancelled checkout still holding stock (a compensation that never ran) fails", () => {
    const s = healthy();
    s.reservations[1] = { checkoutId: "c2", status: "held" };
    failsWith(checkReservations(s), /c2 is CANCELLED but its stock is still held/);
    const uncommitted = healthy();
    uncommitted.reservations[0] = { checkoutId: "c1", status: "held" };
    failsWith(checkReservations(uncommitted), /c1 is PAID but its reservation is held/);
    const ghost = healthy();
    ghost.reservations.push({ checkoutId: "zz", status: "held" });
    failsWith(checkReservations(ghost), /holds stock for no checkout/);
  });

  test("payments: a double charge, a payment without an order, a paid order with no money fail", () => {
    const double = healthy();
    double.captures.set("p1", 2);
    failsWith(checkPayments(double), /p1 captured 2 times/);
    const orphan = healthy();
    orphan.payments.push({
      id: "p9",
      checkoutId: "c9",
      status: "SUCCEEDED",
      method: "ewallet",
      amount: 10,
      captured: 10,
      refunded: 0,
    });
    failsWith(checkPayments(orphan), /p9 has no order/);
    const unpaid = healthy();
    unpaid.payments[0] = {
      ...(unpaid.payments[0] as (typeof unpaid.payments)[number]),
      captured: 0,
      status: "PENDING",
    };
    failsWith(checkPayments(unpaid), /has paid orders but payment p1 is PENDING/);
    const kept = healthy();
    kept.payments[1] = {
      ...(kept.payments[1] as (typeof kept.payments)[number]),
      captured: 700,
      status: "SUCCEEDED",
    };
    kept.captures.set("p2", 1);
    failsWith(checkPayments(kept), /p2 captured 700 for cancelled orders but refunded 0/);
    const twice = healthy();
    twice.payments.push({ ...(twice.payments[0] as (typeof twice.payments)[number]), id: "p1b" });
    failsWith(checkPayments(twice), /c1 has 2 payments/);
    const refund = healthy();
    refund.refunds.push({ paymentId: "p1", orderId: "o1", amount: 100, status: "SUCCEEDED" });
    failsWith(checkPayments(refund), /o1 counts 0 refunded but refunds total 100/);
  });

  test("events: an undrained outbox, a lagging group, a dead letter, an overdue step or a lost webhook fail", () => {
    const cases: [(s: AuditSnapshot) => void, RegExp][] = [
      [(s) => s.outboxPending.set("order", 2), /order: 2 events not published/],
      [(s) => s.busLag.set("search.catalog", 5), /search.catalog: 5 events not consumed/],
      [
        (s) =>
          s.deadLetters.push({
            service: "order",
            group: "order.payments",
            type: "PaymentSucceeded",
            error: "boom",
          }),
        /dead letter PaymentSucceeded/,
      ],
      [(s) => s.overdueTimers.set("order", 1), /order: 1 saga steps overdue/],
      [
        (s) => {
          s.undeliveredNotifications = 1;
        },
        /1 payment notifications never reached the webhook/,
      ],
    ];
    for (const [breakIt, pattern] of cases) {
      const s = healthy();
      breakIt(s);
      failsWith(checkEvents(s), pattern);
      assert.equal(auditLine(audit(s)), "chaos audit: 4 passed, 1 failed");
    }
  });
});
