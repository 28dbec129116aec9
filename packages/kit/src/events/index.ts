export type { ConsumeOptions, Consumption, Delivery, DeliveryHandler, EventBus } from "./bus.ts";
export {
  createEnvelope,
  decodeEnvelope,
  EventEnvelope,
  encodeEnvelope,
  envelopeContext,
  type MessageEncoder,
  type NewEvent,
  protoEvent,
} from "./envelope.ts";
export { eventMetrics } from "./metrics.ts";
export { kitBusMigrations, kitMigrations } from "./migrations.ts";
export { createOutbox, OUTBOX_CHANNEL, type Outbox } from "./outbox.ts";
export { type Relay, type RelayOptions, startRelay } from "./relay.ts";
export { uuidv7 } from "./uuid7.ts";
