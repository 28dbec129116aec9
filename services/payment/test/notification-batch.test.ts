import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createDb } from "@toko/kit";
import type { PaymentDeps } from "../src/application/deps.ts";
import { notificationIntake } from "../src/application/notification-intake.ts";
import { handleNotifications } from "../src/application/notifications.ts";
import { loadPaymentConfig } from "../src/config.ts";
import type { PaymentDatabase } from "../src/infrastructure/schema.ts";
import { paymentDeps } from "../src/start.ts";
import {
  assertLedgerBalanced,
  type Harness,
  outboxTypes,
  paymentRequest,
  signedNotification,
  startHarness,
  testEnv,
} from "./harness.ts";

// Several notifications in one transaction, as the intake groups a burst: replays, retries and
// two notifications of one payment inside the same list.
let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

test("one shared transaction gives each notification its one effect, in order", async () => {
  const config = loadPaymentConfig(testEnv(h.db, h.db, "http://127.0.0.1:9/"));
  const deps = paymentDeps(createDb<PaymentDatabase>(h.db.pool), config);
  const [a, b] = await Promise.all([
    h.order.createPayment(paymentRequest()),
    h.order.createPayment(paymentRequest()),
  ]);
  const pa = { id: a.payment?.id ?? "", amount: 150_000 };
  const pb = { id: b.payment?.id ?? "", amount: 150_000 };
  const verify = (n: ReturnType<typeof signedNotification>) =>
    deps.provider.verify(n.headers, n.rawBody, new Date());
  const aFirst = signedNotification(pa);
  const list = [
    verify(aFirst),
    verify(aFirst), // the same signed request: a replay
    verify(signedNotification(pa, { at: new Date(Date.now() - 2_000) })), // a provider retry: duplicate
    verify(signedNotification(pb, { id: "ntf_b_declined", event: "payment.failed" })),
    verify(signedNotification(pb, { id: "ntf_b_paid_late" })), // after the decline: taken and refunded
    verify(signedNotification({ id: "pay_unknown", amount: 1 })),
  ];
  const results = await deps.uow.run((tx) => handleNotifications(deps, tx, list));
  assert.deepEqual(results, ["handled", "replay", "duplicate", "handled", "handled", "handled"]);
  assert.deepEqual(await outboxTypes(h.db.pool, pa.id), ["PaymentSucceeded"]);
  assert.deepEqual(await outboxTypes(h.db.pool, pb.id), ["PaymentFailed", "RefundSucceeded"]);
  const { rows } = await h.db.pool.query(
    "SELECT notification_id, outcome FROM provider_notifications ORDER BY received_at, notification_id",
  );
  assert.deepEqual(rows.map((r) => r.outcome).sort(), [
    "captured",
    "failed",
    "refunded_late",
    "unknown_payment",
  ]);
  // Again, all of it: every one is now a replay (same signatures).
  const again = await deps.uow.run((tx) => handleNotifications(deps, tx, list));
  assert.deepEqual(again, ["replay", "replay", "replay", "replay", "replay", "replay"]);
  await assertLedgerBalanced(h.db.pool);
});

test("notifications arriving while a transaction runs collect into the next one; a lone one runs at once", async () => {
  const config = loadPaymentConfig(testEnv(h.db, h.db, "http://127.0.0.1:9/"));
  const base = paymentDeps(createDb<PaymentDatabase>(h.db.pool), config);
  const batches: number[] = [];
  // Counts the notifications each transaction handles. The window is long, so only the end of
  // the running transaction can start the next one, and an idle call is timed against it.
  const counted: PaymentDeps = {
    ...base,
    uow: {
      run: (fn) =>
        base.uow.run((tx) => {
          const admit = tx.notifications.admit;
          return fn({
            ...tx,
            notifications: {
              ...tx.notifications,
              admit: (ns) => {
                batches.push(ns.length);
                return admit(ns);
              },
            },
          });
        }),
    },
  };
  const counting = notificationIntake(counted, { maxBatch: 64, maxConcurrent: 4, collectMs: 10_000 });
  const payments = await Promise.all(
    Array.from({ length: 12 }, () => h.order.createPayment(paymentRequest())),
  );
  const notifications = payments.map((p) => signedNotification({ id: p.payment?.id ?? "", amount: 150_000 }));
  const results = await Promise.all(
    notifications.map((n) => counting.receive("sandbox", n.rawBody, n.headers)),
  );
  assert.deepEqual(
    results.map((r) => r.duplicate),
    notifications.map(() => false),
  );
  // The first runs at once; the eleven arriving while it runs share one transaction instead of
  // taking the three free slots one by one.
  assert.deepEqual(batches, [1, 11]);
  for (const p of payments)
    assert.deepEqual(await outboxTypes(h.db.pool, p.payment?.id ?? ""), ["PaymentSucceeded"]);

  // Idle again: a lone notification does not wait for the window.
  const late = await h.order.createPayment(paymentRequest());
  const n = signedNotification({ id: late.payment?.id ?? "", amount: 150_000 });
  const started = performance.now();
  await counting.receive("sandbox", n.rawBody, n.headers);
  assert.deepEqual(batches, [1, 11, 1]);
  assert.ok(performance.now() - started < 5_000, "a lone notification waited for the collect window");
  await assertLedgerBalanced(h.db.pool);
});
