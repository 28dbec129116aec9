import type { EventEnvelope } from "./envelope.ts";

/** An event as a handler sees it. */
export interface ReceivedEvent {
  id: string;
  type: string;
  source: string;
  subject: string;
  occurredAt: Date | undefined;
  /** The payload bytes; decode with the generated message's `decode`. */
  payload: Uint8Array;
  /** 1 on first delivery to this group. */
  attempt: number;
  envelope: EventEnvelope;
}

/** A ts-proto message's decoder, as generated for every proto message. */
export interface MessageDecoder<T> {
  decode(input: Uint8Array): T;
}

export function toReceived(envelope: EventEnvelope, attempt: number): ReceivedEvent {
  return {
    id: envelope.id,
    type: envelope.type,
    source: envelope.source,
    subject: envelope.subject,
    occurredAt: envelope.occurredAt,
    payload: envelope.payload,
    attempt,
    envelope,
  };
}

/** Decodes an event's payload with a generated message's `decode`. */
export function payloadOf<T>(event: ReceivedEvent, codec: MessageDecoder<T>): T {
  return codec.decode(event.payload);
}
