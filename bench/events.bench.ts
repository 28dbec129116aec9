// Event buses: publish→handled latency (p50/p99) at a fixed offered rate of 1,000 events/s, and
// the maximum rate, with two subscriber groups, for the PostgreSQL bus (the embedded test
// PostgreSQL, like the launcher's) and NATS JetStream (the machine's server, when reachable).
// Latency is measured from just before `bus.publish` to the handler's start in the same process.
import { randomBytes } from "node:crypto";
import { connect as tcpConnect } from "node:net";
import { createTestDatabase } from "@toko/testing";
import { connect } from "nats";
import {
  createEnvelope,
  createNatsBus,
  createPostgresBus,
  type EventBus,
} from "../packages/kit/src/index.ts";
import type { BenchResult } from "./run.ts";
import { percentile } from "./support.ts";

const RATE = 1_000;
const MEASURE_MS = 5_000;
const TICK_MS = 10;
const BURST = 5_000;
const GROUPS = ["bench.g1", "bench.g2"];
const TYPE = "toko.bench.v1.Ping";

async function measure(
  adapter: string,
  makeBus: () => Promise<EventBus>,
): Promise<Record<string, string | number>[]> {
  const publisher = await makeBus();
  const consumerBuses = await Promise.all(GROUPS.map(() => makeBus()));
  const latencies: number[] = [];
  let handled = 0;
  let recording = false;
  const consumptions = await Promise.all(
    GROUPS.map((group, i) =>
      (consumerBuses[i] as EventBus).consume({
        group,
        types: [TYPE],
        retryDelayMs: () => 100,
        handler: async ({ envelope }) => {
          handled++;
          if (recording) latencies.push(performance.now() - Buffer.from(envelope.payload).readDoubleLE(0));
        },
      }),
    ),
  );
  const envelope = (i: number) => {
    const payload = Buffer.alloc(8);
    payload.writeDoubleLE(performance.now(), 0);
    return createEnvelope("bench", { type: TYPE, subject: `s${i % 64}`, payload });
  };
  const waitHandled = async (target: number, ms: number) => {
    const deadline = Date.now() + ms;
    while (handled < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return handled >= target;
  };

  // Fixed rate: RATE/s in ticks; warm up for a second, then record.
  const fixed = async (ms: number) => {
    const perTick = (RATE * TICK_MS) / 1000;
    const start = performance.now();
    let sent = 0;
    for (let tick = 0; performance.now() - start < ms; tick++) {
      const due = start + tick * TICK_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await publisher.publish(Array.from({ length: perTick }, (_, j) => envelope(sent + j)));
      sent += perTick;
    }
    return sent;
  };
  let total = await fixed(1_000);
  await waitHandled(total * GROUPS.length, 30_000);
  recording = true;
  total += await fixed(MEASURE_MS);
  const complete = await waitHandled(total * GROUPS.length, 30_000);
  recording = false;
  const sorted = latencies.toSorted((a, b) => a - b);

  // Maximum: publish BURST events in batches of 100 as fast as possible.
  const before = handled;
  const t0 = performance.now();
  for (let i = 0; i < BURST; i += 100)
    await publisher.publish(Array.from({ length: 100 }, (_, j) => envelope(i + j)));
  const drained = await waitHandled(before + BURST * GROUPS.length, 60_000);
  const seconds = (performance.now() - t0) / 1000;

  for (const c of consumptions) await c.stop();
  for (const b of [publisher, ...consumerBuses]) await b.close();
  return [
    {
      adapter,
      "offered/s": RATE,
      groups: GROUPS.length,
      handled: sorted.length,
      "p50 ms": Number(percentile(sorted, 0.5).toFixed(2)),
      "p99 ms": Number(percentile(sorted, 0.99).toFixed(2)),
      "max ms": Number((sorted.at(-1) ?? Number.NaN).toFixed(1)),
      "max events/s": drained ? Math.round(BURST / seconds) : `incomplete (${handled - before}/${BURST * 2})`,
      complete: complete ? "yes" : "NO",
    },
  ];
}

function natsReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect(4222, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export default async function eventsBench(): Promise<BenchResult> {
  const notes: string[] = [
    "two subscriber groups, each its own connection; handlers record latency only (no inbox transaction)",
    "goals: postgres p99 <= 100 ms at 1,000 events/s; nats p99 <= 20 ms",
  ];
  const busDb = await createTestDatabase();
  let rows: Record<string, string | number>[];
  try {
    rows = await measure("postgres", () => createPostgresBus({ url: busDb.url, poolSize: 4 }));
  } finally {
    await busDb.drop();
  }
  if (await natsReachable()) {
    const id = randomBytes(4).toString("hex");
    const stream = `BENCH_${id}`;
    try {
      rows.push(
        ...(await measure("nats", () =>
          createNatsBus({ servers: "nats://127.0.0.1:4222", stream, subjectPrefix: `bench.${id}` }),
        )),
      );
    } finally {
      const nc = await connect({ servers: "nats://127.0.0.1:4222" });
      await (await nc.jetstreamManager()).streams.delete(stream).catch(() => false);
      await nc.close();
    }
  } else {
    notes.push("NATS not reachable at 127.0.0.1:4222: nats row skipped");
  }
  return { name: "event buses: publish→handled, two groups", rows, notes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Runnable on its own too: node --import tsx bench/events.bench.ts
  const result = await eventsBench();
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
