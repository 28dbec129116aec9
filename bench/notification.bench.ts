// Notification: order events → in-app messages per second. The notification service runs as a
// process on the embedded test PostgreSQL with a PostgreSQL bus; OrderAccepted events (an in-app
// message only: no email, no remote call) are published in batches and the rate is taken from
// the first publish until the last message is in the inbox. Baseline in the same run: a bare
// consumer of the same bus that does nothing (the bus's own ceiling on this machine), measured
// before and after each service round.
import { join } from "node:path";
import { OrderAccepted } from "@toko/contracts/toko/order/v1/events";
import { createTestDatabase, startServiceProcess } from "@toko/testing";
import { createEnvelope, createPostgresBus, protoEvent, uuidv7 } from "../packages/kit/src/index.ts";
import type { BenchResult } from "./run.ts";
import { median } from "./support.ts";

const EVENTS = 3_000;
const BATCH = 500;
const ROUNDS = 3;
const USERS = 500;

const orderAccepted = (i: number) => {
  const orderId = uuidv7();
  return createEnvelope(
    "order",
    protoEvent(
      "toko.order.v1.OrderAccepted",
      orderId,
      OrderAccepted,
      OrderAccepted.fromPartial({
        orderId,
        checkoutId: uuidv7(),
        buyerId: `bench-buyer-${i % USERS}`,
        shopId: "bench-shop",
        acceptedAt: new Date(),
      }),
    ),
  );
};

async function publishAll(bus: Awaited<ReturnType<typeof createPostgresBus>>, events = makeRound()) {
  for (let i = 0; i < events.length; i += BATCH) await bus.publish(events.slice(i, i + BATCH));
}

const makeRound = () => Array.from({ length: EVENTS }, (_, i) => orderAccepted(i));

async function until(check: () => Promise<boolean>, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export default async function (): Promise<BenchResult> {
  const [db, busDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const bus = await createPostgresBus({ url: busDb.url });
  const service = await startServiceProcess(
    join(import.meta.dirname, "..", "services", "notification"),
    {
      DATABASE_URL: db.url,
      BUS_DATABASE_URL: busDb.url,
      TOKO_INTERNAL_SECRET: "bench-internal-secret-0123456789",
      TOKO_ENV: "development",
      TOKO_USER_ADDR: "127.0.0.1:9",
      TOKO_PRODUCT_ADDR: "127.0.0.1:9",
      LOG_LEVEL: "warn",
    },
    { readyTimeoutMs: 120_000 },
  );
  const service_: number[] = [];
  const bare: number[] = [];
  let group = 0;
  const bareRound = async () => {
    // A new group may start at the bus's oldest retained event: count only this round's.
    const events = makeRound();
    const wanted = new Set(events.map((e) => e.id));
    const marker = orderAccepted(0);
    let caughtUp = false;
    let handled = 0;
    const consumer = await createPostgresBus({ url: busDb.url });
    group += 1;
    const consumption = await consumer.consume({
      group: `bench.bare${group}`,
      types: ["toko.order.v1.OrderAccepted"],
      retryDelayMs: () => 100,
      handler: async ({ envelope }) => {
        if (wanted.has(envelope.id)) handled++;
        else if (envelope.id === marker.id) caughtUp = true;
      },
    });
    // Caught up with what the bus already holds before the clock starts.
    await bus.publish([marker]);
    await until(async () => caughtUp);
    const start = performance.now();
    await publishAll(bus, events);
    await until(async () => handled >= EVENTS);
    const rate = EVENTS / ((performance.now() - start) / 1000);
    await consumption.stop();
    await consumer.close();
    return rate;
  };
  try {
    let inbox = 0;
    // Warm-up: one small burst through the service.
    await bus.publish(Array.from({ length: 200 }, (_, i) => orderAccepted(i)));
    inbox += 200;
    const count = async () => Number((await db.pool.query("SELECT count(*)::int AS n FROM inbox")).rows[0].n);
    await until(async () => (await count()) >= inbox);
    for (let r = 0; r < ROUNDS; r++) {
      bare.push(await bareRound());
      const start = performance.now();
      await publishAll(bus);
      inbox += EVENTS;
      await until(async () => (await count()) >= inbox);
      service_.push(EVENTS / ((performance.now() - start) / 1000));
    }
    bare.push(await bareRound());
  } finally {
    await service.stop();
    await bus.close();
    await Promise.all([db.drop(), busDb.drop()]);
  }
  const rows = service_.map((s, i) => {
    const baseline = ((bare[i] ?? 0) + (bare[i + 1] ?? 0)) / 2;
    return {
      round: i + 1,
      "messages/s": Math.round(s),
      "bare consumer events/s": Math.round(baseline),
      ratio: Number((s / baseline).toFixed(3)),
    };
  });
  const med = median(service_);
  return {
    name: "notification: order events → in-app messages",
    rows,
    notes: [
      `${EVENTS} OrderAccepted events per round, ${USERS} buyers; each message is one event handled in its own transaction with its kit inbox row (de-duplicated by key).`,
      `median ${Math.round(med)} messages/s; goal ≥ 500/s: ${med >= 500 ? "met" : "NOT met"} on this run.`,
      "baseline: a do-nothing consumer of the same PostgreSQL bus, measured before and after each round (ratio against their mean).",
    ],
  };
}
