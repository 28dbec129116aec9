// A consumer process for crash tests: handles ThingMade into `effects`, slowly, until killed.

import { pino } from "pino";
import {
  createDb,
  createEventConsumers,
  createNatsBus,
  createPool,
  createPostgresBus,
} from "../../src/index.ts";
import { recordEffect } from "../events-support/service-db.ts";

const env = process.env;
const pool = createPool({ url: env.SERVICE_DB_URL as string, max: 5 });
const bus =
  env.TEST_BUS === "nats"
    ? await createNatsBus({
        servers: "nats://127.0.0.1:4222",
        stream: env.NATS_STREAM,
        subjectPrefix: env.NATS_PREFIX,
        ackWaitMs: 1_500,
      })
    : await createPostgresBus({ url: env.BUS_DATABASE_URL as string, leaseMs: 1_500, pollIntervalMs: 200 });
const group = env.GROUP as string;
const replica = env.REPLICA as string;
const delayMs = Number(env.HANDLER_DELAY_MS ?? "5");
const record = recordEffect(group, replica);
const consumers = createEventConsumers({
  db: createDb(pool),
  pool,
  bus,
  logger: pino({ level: "silent" }),
  retryMinMs: 20,
  retryMaxMs: 100,
});
consumers.subscribe(
  group,
  ["toko.kittest.v1.ThingMade"],
  async (event, trx) => {
    await record(event, trx);
    // Holding the transaction open makes a kill likely to land mid-handler.
    await new Promise((r) => setTimeout(r, delayMs));
  },
  { batch: Number(env.BATCH ?? "0") },
);
await consumers.start();
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  await consumers.stop();
  await bus.close();
  await pool.end();
  process.exit(0);
});
