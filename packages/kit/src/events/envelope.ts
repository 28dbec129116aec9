import { type Context, context, propagation } from "@opentelemetry/api";
import { EventEnvelope } from "@toko/contracts/toko/common/v1/event";
import { uuidv7 } from "./uuid7.ts";

export { EventEnvelope };

/** What a publisher supplies for one event; the kit fills in id, source, time and trace. */
export interface NewEvent {
  /** Fully qualified proto message name, e.g. "toko.order.v1.OrderPaid". */
  type: string;
  /** The aggregate the event is about; events with one subject are delivered in order. */
  subject: string;
  /** The payload encoded with the message's `encode(...).finish()`. */
  payload: Uint8Array;
  /** Defaults to now. */
  occurredAt?: Date;
  /** Defaults to a fresh UUIDv7; give one to make a retried publish idempotent. */
  id?: string;
}

/** A ts-proto message's encoder, as generated for every proto message. */
export interface MessageEncoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

/** Builds a `NewEvent` from a ts-proto message and its generated `encode`. */
export function protoEvent<T>(type: string, subject: string, codec: MessageEncoder<T>, message: T): NewEvent {
  return { type, subject, payload: codec.encode(message).finish() };
}

const TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\.[A-Z][A-Za-z0-9]*$/;

/** Wraps an event in the envelope, carrying the active trace context. Throws on a malformed event. */
export function createEnvelope(
  source: string,
  event: NewEvent,
  ctx: Context = context.active(),
): EventEnvelope {
  if (!TYPE_PATTERN.test(event.type)) {
    throw new TypeError(`event type "${event.type}" must be a fully qualified proto message name`);
  }
  if (event.subject.length === 0) throw new TypeError(`event ${event.type} needs a subject`);
  if (!/^[a-z][a-z0-9-]*$/.test(source))
    throw new TypeError(`event source "${source}" must be a service name`);
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return {
    id: event.id ?? uuidv7(),
    type: event.type,
    source,
    subject: event.subject,
    occurredAt: event.occurredAt ?? new Date(),
    trace:
      carrier.traceparent !== undefined
        ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate ?? "" }
        : undefined,
    payload: Buffer.from(event.payload),
  };
}

/** The envelope's wire bytes. */
export function encodeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(EventEnvelope.encode(envelope).finish());
}

/** Parses wire bytes back into an envelope. */
export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  return EventEnvelope.decode(bytes);
}

/** The publisher's trace context carried by an envelope, to run its handler in. */
export function envelopeContext(envelope: EventEnvelope, parent: Context = context.active()): Context {
  if (!envelope.trace?.traceparent) return parent;
  const carrier: Record<string, string> = { traceparent: envelope.trace.traceparent };
  if (envelope.trace.tracestate) carrier.tracestate = envelope.trace.tracestate;
  return propagation.extract(parent, carrier);
}
