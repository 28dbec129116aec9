// Notification: order events → in-app messages per second. The notification service runs as a
// process on the embedded test PostgreSQL with a PostgreSQL bus; OrderAccepted events (an in-app
// message only: no email, no remote call) are published in batches and the rate is taken from
// the first publish until the last message is in the inbox. Two variants of the service, each on
// its own database, rounds alternating: events handled in shared consumer transactions (the
// default EVENT_BATCH_SIZE) and one transaction per event (EVENT_BATCH_SIZE=1). Baseline in the
// same run: a bare consumer of the same bus that does nothing (the bus's own ceiling on this
// machine), measured before and after each round.
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

async function publishAll(
  bus: Awaited<ReturnType<typeof createPostgresBus>>,
  events: ReturnType<typeof orderAccepted>[],
) {
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

const VARIANTS = [
  { name: "batched (EVENT_BATCH_SIZE=50)", batch: "50" },
  { name: "one per transaction (EVENT_BATCH_SIZE=1)", batch: "1" },
] as const;

type Bus = Awaited<ReturnType<typeof createPostgresBus>>;

/** A notification process with its own database and its own bus (consumer offsets live on the bus). */
async function startVariant(batch: string) {
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
      TOKO_PAYMENT_ADDR: "127.0.0.1:9",
      EVENT_BATCH_SIZE: batch,
      LOG_LEVEL: "warn",
    },
    { readyTimeoutMs: 120_000 },
  );
  let inbox = 0;
  const count = async () => Number((await db.pool.query("SELECT count(*)::int AS n FROM inbox")).rows[0].n);
  return {
    busDb,
    bus,
    /** Publishes `events` and resolves when the last message is in the inbox. */
    async run(events: ReturnType<typeof makeRound>) {
      await publishAll(bus, events);
      inbox += events.length;
      await until(async () => (await count()) >= inbox);
    },
    async stop() {
      await service.stop();
      await bus.close();
      await Promise.all([db.drop(), busDb.drop()]);
    },
  };
}

let bareGroups = 0;

/** A do-nothing consumer of `busUrl`, caught up first: events/s for one round. */
async function bareRound(bus: Bus, busUrl: string): Promise<number> {
  // A new group may start at the bus's oldest retained event: count only this round's.
  const events = makeRound();
  const wanted = new Set(events.map((e) => e.id));
  const marker = orderAccepted(0);
  let caughtUp = false;
  let handled = 0;
  const consumer = await createPostgresBus({ url: busUrl });
  bareGroups += 1;
  const consumption = await consumer.consume({
    group: `bench.bare${bareGroups}`,
    types: ["toko.order.v1.OrderAccepted"],
    retryDelayMs: () => 100,
    handler: async ({ envelope }) => {
      if (wanted.has(envelope.id)) handled++;
      else if (envelope.id === marker.id) caughtUp = true;
    },
  });
  await bus.publish([marker]);
  await until(async () => caughtUp);
  const start = performance.now();
  await publishAll(bus, events);
  await until(async () => handled >= EVENTS);
  const rate = EVENTS / ((performance.now() - start) / 1000);
  await consumption.stop();
  await consumer.close();
  return rate;
}

export default async function (): Promise<BenchResult> {
  const variants = await Promise.all(VARIANTS.map((v) => startVariant(v.batch)));
  const rates: number[][] = VARIANTS.map(() => []);
  const bare: number[] = [];
  try {
    // Warm-up: one small burst through each.
    for (const v of variants) await v.run(Array.from({ length: 200 }, (_, i) => orderAccepted(i)));
    // Rounds alternate between the variants, a bare round before each (on the next one's bus).
    for (let r = 0; r < ROUNDS; r++) {
      for (const [i, v] of variants.entries()) {
        bare.push(await bareRound(v.bus, v.busDb.url));
        const start = performance.now();
        await v.run(makeRound());
        rates[i]?.push(EVENTS / ((performance.now() - start) / 1000));
      }
    }
    const first = variants[0];
    if (first) bare.push(await bareRound(first.bus, first.busDb.url));
  } finally {
    await Promise.all(variants.map((v) => v.stop()));
  }
  const rows = rates.flatMap((list, v) =>
    list.map((s, r) => {
      const k = r * VARIANTS.length + v;
      const baseline = ((bare[k] ?? 0) + (bare[k + 1] ?? 0)) / 2;
      return {
        variant: VARIANTS[v]?.name ?? "",
        round: r + 1,
        "messages/s": Math.round(s),
        "bare consumer events/s": Math.round(baseline),
        ratio: Number((s / baseline).toFixed(3)),
      };
    }),
  );
  const [batched = 0, single = 0] = rates.map((list) => median(list));
  return {
    name: "notification: order events → in-app messages",
    rows,
    notes: [
      `${EVENTS} OrderAccepted events per round, ${USERS} buyers; every event with its kit inbox row, each message de-duplicated by key.`,
      `median ${Math.round(batched)} messages/s batched, ${Math.round(single)} one per transaction (×${(batched / single).toFixed(2)}); goal ≥ 500/s: ${batched >= 500 ? "met" : "NOT met"} on this run.`,
      "baseline: a do-nothing consumer of the same PostgreSQL bus, measured before and after each round (ratio against their mean).",
    ],
  };
}
