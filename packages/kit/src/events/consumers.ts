import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { type Kysely, sql, type Transaction } from "kysely";
import type pg from "pg";
import type { Logger } from "../log/logger.ts";
import type { Consumption, Delivery, EventBus } from "./bus.ts";
import { type EventEnvelope, encodeEnvelope, envelopeContext } from "./envelope.ts";
import { startInboxPruner } from "./inbox-pruner.ts";
import { eventMetrics } from "./metrics.ts";
import { type ReceivedEvent, toReceived } from "./received-event.ts";
import { startRedrive } from "./redrive.ts";
import { backoff } from "./wake.ts";

/** Handles one event; its writes in `trx` commit together with the inbox row. */
export type EventHandler<DB> = (event: ReceivedEvent, trx: Transaction<DB>) => Promise<void>;

export interface EventConsumersOptions<DB> {
  /** The service's own database (inbox, dead letters and the handlers' writes). */
  db: Kysely<DB>;
  /** A pool on the same database, for LISTEN and the redrive loop. */
  pool: pg.Pool;
  bus: EventBus;
  logger: Logger;
  /** Failed attempts before an event goes to the dead letters; default 5. */
  maxAttempts?: number;
  /** Retry delay: from `retryMinMs` (200 ms) doubling to `retryMaxMs` (30 s), jittered. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Look for redrive requests this often even without a NOTIFY; default 5 s. */
  redrivePollMs?: number;
  /**
   * Inbox rows (ids of handled events) older than this are pruned; default 14 days. Must exceed
   * the bus's retention (`EventBus.retentionMs`), the longest an event can be delivered again.
   */
  inboxRetentionMs?: number;
  /** Prune the inbox this often; default 10 min. */
  inboxPruneIntervalMs?: number;
}

export interface SubscribeOptions {
  /**
   * Handle up to this many events of one partition in one transaction (each with its inbox row),
   * where the bus reads in batches. Only for handlers whose whole effect is their writes in
   * `trx` (no calls out). A batch that fails is rolled back and its events handled one by one.
   * A group batches only if every subscription to it asks; the smallest size wins.
   */
  batch?: number;
}

/** Registers handlers by consumer group and runs them against the bus. */
export interface EventConsumers<DB> {
  /**
   * Handles `types` in durable group `group` (e.g. "search.products"): replicas of the service
   * share the group's events; another group gets every event again. Call before `start`.
   */
  subscribe(
    group: string,
    types: readonly string[],
    handler: EventHandler<DB>,
    options?: SubscribeOptions,
  ): void;
  start(): Promise<void>;
  /** Stops consuming after the handlers in flight. */
  stop(): Promise<void>;
}

const tracer = trace.getTracer("@toko/kit/events");
const GROUP_PATTERN = /^[a-z][a-z0-9_.-]*$/;

/** Outcome of running a handler under the inbox. */
export type HandleOutcome = "handled" | "duplicate";

/** Runs `fn` in a consumer span that continues the publisher's trace. */
export function inEventSpan<T>(group: string, envelope: EventEnvelope, fn: () => Promise<T>): Promise<T> {
  const parent = envelopeContext(envelope, context.active());
  const attributes = { "messaging.consumer.group.name": group, "messaging.message.id": envelope.id };
  return tracer.startActiveSpan(
    `handle ${envelope.type}`,
    { kind: SpanKind.CONSUMER, attributes },
    parent,
    async (span) => {
      try {
        return await fn();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Inserts the inbox row and runs the handler in `trx`; skips an event the group already handled. */
export async function handleInTransaction<DB>(
  trx: Transaction<DB>,
  group: string,
  envelope: EventEnvelope,
  attempt: number,
  handler: EventHandler<DB>,
): Promise<HandleOutcome> {
  // Concurrent duplicates block here until the first commits, then see the conflict.
  const inserted = await sql`INSERT INTO kit_inbox (group_name, event_id)
    VALUES (${group}, ${envelope.id}::uuid) ON CONFLICT DO NOTHING`.execute(trx);
  if (inserted.numAffectedRows === 0n) return "duplicate";
  await handler(toReceived(envelope, attempt), trx);
  return "handled";
}

/** Handles one delivery: inbox row and handler writes in one transaction, in the publisher's trace. */
export function handleOnce<DB>(
  db: Kysely<DB>,
  group: string,
  envelope: EventEnvelope,
  attempt: number,
  handler: EventHandler<DB>,
): Promise<HandleOutcome> {
  return inEventSpan(group, envelope, () =>
    db.transaction().execute((trx) => handleInTransaction(trx, group, envelope, attempt, handler)),
  );
}

/** Stores an event that exhausted its attempts, with the last error. */
export async function deadLetter<DB>(
  db: Kysely<DB>,
  group: string,
  envelope: EventEnvelope,
  error: unknown,
  attempts: number,
): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await sql`INSERT INTO kit_dead_letters (group_name, event_id, type, subject, envelope, error, attempts)
    VALUES (${group}, ${envelope.id}::uuid, ${envelope.type}, ${envelope.subject}, ${encodeEnvelope(envelope)},
            ${message.slice(0, 4000)}, ${attempts})
    ON CONFLICT (group_name, event_id) DO UPDATE
      SET error = excluded.error, attempts = kit_dead_letters.attempts + excluded.attempts,
          status = 'dead', updated_at = now()`.execute(db);
}

/** A handler registry for one service process. */
export function createEventConsumers<DB>(options: EventConsumersOptions<DB>): EventConsumers<DB> {
  const { db, bus, logger } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = (attempt: number) =>
    backoff(attempt, options.retryMinMs ?? 200, options.retryMaxMs ?? 30_000);
  const inboxRetentionMs = options.inboxRetentionMs ?? 14 * 24 * 3600_000;
  if (bus.retentionMs !== undefined && inboxRetentionMs <= bus.retentionMs) {
    // A shorter inbox would forget events the bus can still redeliver: they would be handled twice.
    throw new Error(
      `the inbox retention (${inboxRetentionMs} ms) must exceed the ${bus.kind} bus's retention (${bus.retentionMs} ms)`,
    );
  }
  const groups = new Map<string, Map<string, EventHandler<DB>>>();
  /** Per group: events per transaction, or 0 when some subscription handles one at a time. */
  const batchSizes = new Map<string, number>();
  const running: Consumption[] = [];
  let redrive: { stop(): Promise<void> } | undefined;
  let inboxPruner: { stop(): Promise<void> } | undefined;
  let started = false;

  const handlerFor = (group: string, type: string): EventHandler<DB> | undefined =>
    groups.get(group)?.get(type);

  const onDelivery = (group: string) => async (delivery: Delivery) => {
    const { envelope, attempt } = delivery;
    const labels = { group, type: envelope.type };
    const handler = handlerFor(group, envelope.type);
    if (!handler) return; // a type this group does not handle (a bus may deliver it anyway)
    eventMetrics.deliveries.inc(labels);
    if (attempt > 1) eventMetrics.redeliveries.inc(labels);
    try {
      const outcome = await handleOnce(db, group, envelope, attempt, handler);
      eventMetrics[outcome === "handled" ? "handled" : "duplicates"].inc(labels);
    } catch (error) {
      eventMetrics.handlerFailures.inc(labels);
      const log = { err: error, group, eventId: envelope.id, type: envelope.type, attempt };
      if (attempt < maxAttempts) {
        logger.warn(log, "event handler failed; will retry");
        throw error;
      }
      // If this write fails too, the throw makes the bus redeliver, and we get here again.
      await deadLetter(db, group, envelope, error, attempt);
      eventMetrics.deadLettered.inc(labels);
      logger.error(log, "event handler kept failing; moved to dead letters");
    }
  };

  /**
   * Several deliveries of one partition: up to `size` per transaction, each event with its
   * inbox row. A failure rolls its transaction back and throws, and the bus then hands every
   * delivery to `onDelivery` (events of transactions that committed are duplicates there).
   */
  const onBatch = (group: string, size: number) => async (deliveries: readonly Delivery[]) => {
    const mine = deliveries.flatMap((d) => {
      const handler = handlerFor(group, d.envelope.type);
      return handler ? [{ ...d, handler }] : [];
    });
    for (let i = 0; i < mine.length; i += size) {
      const chunk = mine.slice(i, i + size);
      const outcomes = await db
        .transaction()
        .execute(async (trx) => {
          const done: HandleOutcome[] = [];
          for (const d of chunk) {
            done.push(
              await inEventSpan(group, d.envelope, () =>
                handleInTransaction(trx, group, d.envelope, d.attempt, d.handler),
              ),
            );
          }
          return done;
        })
        .catch((error: unknown) => {
          logger.debug(
            { err: error, group, events: chunk.length },
            "event batch failed; handling one by one",
          );
          throw error;
        });
      chunk.forEach((d, j) => {
        const labels = { group, type: d.envelope.type };
        eventMetrics.deliveries.inc(labels);
        eventMetrics[outcomes[j] === "handled" ? "handled" : "duplicates"].inc(labels);
      });
    }
  };

  return {
    subscribe(group, types, handler, subscribeOptions = {}) {
      if (started) throw new Error("subscribe before start()");
      if (!GROUP_PATTERN.test(group)) throw new Error(`invalid consumer group name "${group}"`);
      if (types.length === 0) throw new Error(`group ${group}: no event types`);
      const byType = groups.get(group) ?? new Map<string, EventHandler<DB>>();
      const batch = subscribeOptions.batch ?? 0;
      if (!Number.isInteger(batch) || batch < 0)
        throw new Error(`group ${group}: invalid batch size ${batch}`);
      for (const type of types) {
        if (byType.has(type)) throw new Error(`group ${group} already handles ${type}`);
        byType.set(type, handler);
      }
      const before = batchSizes.get(group);
      batchSizes.set(group, before === undefined ? batch : Math.min(before, batch));
      groups.set(group, byType);
    },
    async start() {
      if (started) return;
      started = true;
      for (const [group, byType] of groups) {
        const batch = batchSizes.get(group) ?? 0;
        running.push(
          await bus.consume({
            group,
            types: [...byType.keys()],
            handler: onDelivery(group),
            batchHandler: batch > 1 ? onBatch(group, batch) : undefined,
            retryDelayMs,
          }),
        );
      }
      redrive = startRedrive({
        db,
        pool: options.pool,
        logger,
        groups: [...groups.keys()],
        handlerFor,
        pollMs: options.redrivePollMs ?? 5_000,
      });
      if (groups.size > 0)
        inboxPruner = startInboxPruner(
          options.pool,
          logger,
          inboxRetentionMs,
          options.inboxPruneIntervalMs ?? 600_000,
        );
    },
    async stop() {
      await Promise.all(running.splice(0).map((c) => c.stop()));
      await redrive?.stop();
      await inboxPruner?.stop();
    },
  };
}
