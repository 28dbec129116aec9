export type {
  BatchDeliveryHandler,
  ConsumeOptions,
  Consumption,
  Delivery,
  DeliveryHandler,
  EventBus,
} from "./bus.ts";
export { createEventBus, type EventBusConfig, eventBusEnvShape } from "./bus-config.ts";
export {
  createEventConsumers,
  type EventConsumers,
  type EventConsumersOptions,
  type EventHandler,
  type SubscribeOptions,
} from "./consumers.ts";
export { deadLetterAdminService } from "./dead-letter-admin.ts";
export {
  createDeadLetterStore,
  type DeadLetter,
  type DeadLetterStore,
  type ListDeadLettersOptions,
} from "./dead-letters.ts";
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
export { createNatsBus, type NatsBusOptions } from "./nats-bus.ts";
export { createOutbox, OUTBOX_CHANNEL, type Outbox } from "./outbox.ts";
export { measureOutbox, type OutboxMonitorOptions, startOutboxMonitor } from "./outbox-monitor.ts";
export { createPostgresBus, type PostgresBusOptions, partitionOf } from "./postgres-bus.ts";
export { type MessageDecoder, payloadOf, type ReceivedEvent } from "./received-event.ts";
export { type Relay, type RelayOptions, startRelay } from "./relay.ts";
export { uuidv7 } from "./uuid7.ts";
