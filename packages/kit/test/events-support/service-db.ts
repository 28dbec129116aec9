import { createTestDatabase, type TestDatabase } from "@toko/testing";
import { pino } from "pino";
import {
  createDb,
  createEventConsumers,
  createOutbox,
  type EventBus,
  type EventConsumers,
  type EventHandler,
  type Kysely,
  kitMigrations,
  migrate,
  type NewEvent,
  sql,
  transaction,
} from "../../src/index.ts";

export const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** The test service's own tables: every handled event leaves one `effects` row (no unique key, so a double effect shows). */
export const EFFECTS_SQL = `CREATE TABLE effects (
  n bigserial PRIMARY KEY,
  group_name text NOT NULL,
  event_id uuid NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  replica text NOT NULL
)`;

export interface ServiceDb extends TestDatabase {
  db: Kysely<unknown>;
}

export async function createServiceDb(): Promise<ServiceDb> {
  const test = await createTestDatabase();
  await migrate(test.pool, kitMigrations);
  await test.pool.query(EFFECTS_SQL);
  return { ...test, db: createDb(test.pool) };
}

/** A handler that records its effect in `effects` inside the event's transaction. */
export function recordEffect(group: string, replica: string): EventHandler<unknown> {
  return async (event, trx) => {
    await sql`INSERT INTO effects (group_name, event_id, subject, body, replica)
      VALUES (${group}, ${event.id}::uuid, ${event.subject}, ${Buffer.from(event.payload).toString()}, ${replica})`.execute(
      trx,
    );
  };
}

export const outbox = createOutbox("kittest");

/** Writes events through the outbox in one committed transaction. */
export async function publishViaOutbox(db: Kysely<unknown>, events: NewEvent[]): Promise<string[]> {
  const envelopes = await transaction(db, (trx) => outbox.add(trx, events));
  return envelopes.map((e) => e.id);
}

export const TYPE_A = "toko.kittest.v1.ThingMade";
export const TYPE_B = "toko.kittest.v1.ThingDropped";

export function event(subject: string, body: string, type = TYPE_A): NewEvent {
  return { type, subject, payload: Buffer.from(body) };
}

export function consumers(
  service: ServiceDb,
  bus: EventBus,
  extra: { maxAttempts?: number } = {},
): EventConsumers<unknown> {
  return createEventConsumers({
    db: service.db,
    pool: service.pool,
    bus,
    logger,
    maxAttempts: extra.maxAttempts ?? 3,
    retryMinMs: 20,
    retryMaxMs: 100,
    redrivePollMs: 200,
  });
}

export async function count(service: ServiceDb, where = "true", params: unknown[] = []): Promise<number> {
  const { rows } = await service.pool.query(`SELECT count(*)::int AS n FROM effects WHERE ${where}`, params);
  return rows[0].n;
}
