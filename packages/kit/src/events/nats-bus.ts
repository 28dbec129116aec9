import {
  AckPolicy,
  type ConsumerMessages,
  connect,
  DeliverPolicy,
  type JetStreamManager,
  nanos,
  RetentionPolicy,
  StorageType,
} from "nats";
import type { ConsumeOptions, Consumption, EventBus } from "./bus.ts";
import { decodeEnvelope, type EventEnvelope, encodeEnvelope } from "./envelope.ts";
import { eventMetrics } from "./metrics.ts";

export interface NatsBusOptions {
  /** e.g. "nats://127.0.0.1:4222". */
  servers: string;
  /** The JetStream stream holding Toko's events; default "TOKO_EVENTS". */
  stream?: string;
  /** Subjects are `<prefix>.<source>.<type>`; default "toko.events". */
  subjectPrefix?: string;
  /** An unacknowledged delivery (crashed consumer) is redelivered after this; default 30 s. */
  ackWaitMs?: number;
  /** Publishes with the same event id within this window are stored once; default 2 min. */
  duplicateWindowMs?: number;
  /** Events older than this leave the stream; default 7 days. */
  maxAgeMs?: number;
  /** Connection name shown by the server. */
  name?: string;
  /** Refresh each group's `toko_events_consumer_lag` this often; default 5 s. */
  lagIntervalMs?: number;
}

/** A JetStream durable name: letters, digits, `-` and `_` only. */
function durableName(group: string, type: string): string {
  return `${group}__${type}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

/**
 * The NATS JetStream bus: one stream, a durable pull consumer per (group, type) shared by the
 * group's replicas, explicit acks, naks with a delay for retries, de-duplication by
 * `Nats-Msg-Id` = event id.
 */
export async function createNatsBus(options: NatsBusOptions): Promise<EventBus> {
  const stream = options.stream ?? "TOKO_EVENTS";
  const prefix = options.subjectPrefix ?? "toko.events";
  const nc = await connect({
    servers: options.servers,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
  // While disconnected the client would buffer publishes until their ack times out; the relay
  // is better served by failing at once and retrying with its backoff.
  let connected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === "disconnect") connected = false;
      else if (s.type === "reconnect") connected = true;
    }
  })();
  const jsm = await nc.jetstreamManager();
  await ensureStream(jsm, stream, prefix, options);
  const js = nc.jetstream();
  const consumptions = new Set<Consumption>();

  const subjectOf = (e: EventEnvelope) => `${prefix}.${e.source}.${e.type}`;

  const consumeType = async (
    opts: ConsumeOptions,
    type: string,
  ): Promise<Consumption & { pending(): Promise<number> }> => {
    const durable = durableName(opts.group, type);
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: `${prefix}.*.${type}`,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      // Retries are paced by nak delays; the kit's consumer dead-letters after N attempts.
      max_deliver: -1,
      max_ack_pending: 1_000,
    };
    const existing = await jsm.consumers.info(stream, durable).catch(() => undefined);
    if (existing) await jsm.consumers.update(stream, durable, { ack_wait: config.ack_wait });
    else await jsm.consumers.add(stream, config);
    const consumer = await js.consumers.get(stream, durable);
    const messages: ConsumerMessages = await consumer.consume({ max_messages: 256 });
    const loop = (async () => {
      for await (const m of messages) {
        const attempt = m.info.deliveryCount;
        try {
          await opts.handler({ envelope: decodeEnvelope(m.data), attempt });
          m.ack();
        } catch {
          m.nak(opts.retryDelayMs(attempt));
        }
      }
    })();
    return {
      async stop() {
        messages.stop();
        await loop;
      },
      async pending() {
        const info = await consumer.info();
        return info.num_pending + info.num_ack_pending;
      },
    };
  };

  const maxAgeMs = options.maxAgeMs ?? 7 * 24 * 3600_000;
  return {
    kind: "nats",
    retentionMs: maxAgeMs,
    async publish(envelopes) {
      if (!connected) throw new Error(`NATS at ${options.servers} is unreachable`);
      // Sent in order on one connection, so the stream stores them in order; acks awaited together.
      await Promise.all(
        envelopes.map((e) => js.publish(subjectOf(e), encodeEnvelope(e), { msgID: e.id, timeout: 5_000 })),
      );
    },
    async consume(opts) {
      const parts = await Promise.all(opts.types.map((type) => consumeType(opts, type)));
      // Lag of the group: what its durable consumers (one per type) have not yet had acknowledged.
      const measureLag = async () => {
        try {
          const pending = await Promise.all(parts.map((p) => p.pending()));
          eventMetrics.consumerLag.set(
            { group: opts.group },
            pending.reduce((a, b) => a + b, 0),
          );
        } catch {
          // Unreachable for now; the next round measures again.
        }
      };
      void measureLag();
      const lagTimer = setInterval(measureLag, options.lagIntervalMs ?? 5_000);
      const consumption: Consumption = {
        async stop() {
          clearInterval(lagTimer);
          consumptions.delete(consumption);
          await Promise.all(parts.map((p) => p.stop()));
        },
      };
      consumptions.add(consumption);
      return consumption;
    },
    async close() {
      await Promise.all([...consumptions].map((c) => c.stop()));
      // drain() waits for the server; when it is unreachable, give up after a moment and close.
      const drained = nc.drain().catch(() => {});
      await Promise.race([drained, new Promise((r) => setTimeout(r, 2_000).unref())]);
      if (!nc.isClosed()) await nc.close();
    },
  };
}

async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  prefix: string,
  options: NatsBusOptions,
): Promise<void> {
  const config = {
    name,
    subjects: [`${prefix}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
    max_age: nanos(options.maxAgeMs ?? 7 * 24 * 3600_000),
  };
  const existing = await jsm.streams.info(name).catch(() => undefined);
  if (!existing) await jsm.streams.add(config);
}
