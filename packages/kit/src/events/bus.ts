import type { EventEnvelope } from "./envelope.ts";

/** Delivery of one event to one consumer group. */
export interface Delivery {
  envelope: EventEnvelope;
  /** 1 on first delivery; higher when the bus redelivers after a failure or a crash. */
  attempt: number;
}

/**
 * Called for each delivery. Resolving acknowledges the event; throwing asks the bus to
 * redeliver it later (after `retryDelayMs(attempt)`).
 */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

/**
 * Called with several deliveries of one partition, in order (first deliveries). Resolving
 * acknowledges them all; throwing hands each to `handler` one by one (its retries as usual), so
 * one failing event neither blocks nor loses the others.
 */
export type BatchDeliveryHandler = (deliveries: readonly Delivery[]) => Promise<void>;

export interface ConsumeOptions {
  /** Durable group name: replicas in one group share the work; each group gets every event. */
  group: string;
  /** Event types (proto message names) the group wants; others are skipped. */
  types: readonly string[];
  handler: DeliveryHandler;
  /**
   * Optional: deliveries the adapter read together go here first (the PostgreSQL bus, which
   * reads a partition in pages; the NATS bus delivers one by one and ignores it).
   */
  batchHandler?: BatchDeliveryHandler;
  /** Delay before a failed delivery is retried. */
  retryDelayMs: (attempt: number) => number;
}

/** A running consumer; `stop` waits for the in-flight handler to finish. */
export interface Consumption {
  stop(): Promise<void>;
}

/**
 * The bus port. Delivery is at-least-once: `publish` is durable once it resolves and is
 * idempotent by event id; consumers see every event of their types, in order per subject
 * where the adapter can promise it, and may see an event more than once.
 */
export interface EventBus {
  /** Which adapter this is ("postgres" or "nats"). */
  readonly kind: string;
  /**
   * How long the bus keeps an event (and so may deliver it again); consumers keep their inbox
   * longer than this. Undefined when the adapter does not say.
   */
  readonly retentionMs?: number;
  publish(envelopes: readonly EventEnvelope[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<Consumption>;
  close(): Promise<void>;
}
