// A timer runner process for crash tests: fires "kittest.fire" timers into `fired`.
import { pino } from "pino";
import { createDb, createPool, sql, startTimerRunner } from "../../src/index.ts";

const pool = createPool({ url: process.env.SERVICE_DB_URL as string, max: 4 });
const replica = process.env.REPLICA as string;
const runner = startTimerRunner({
  db: createDb(pool),
  pool,
  logger: pino({ level: "silent" }),
  maxSleepMs: 500,
  handlers: {
    "kittest.fire": async (timer, trx) => {
      await sql`INSERT INTO fired (key, replica, payload) VALUES (${timer.key}, ${replica}, ${JSON.stringify(timer.payload)})`.execute(
        trx,
      );
    },
  },
});
process.stdout.write("ready\n");
process.on("SIGTERM", async () => {
  await runner.stop();
  await pool.end();
  process.exit(0);
});
