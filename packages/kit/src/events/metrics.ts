import { Counter, Gauge } from "prom-client";
import { metricsRegistry } from "../telemetry/metrics.ts";

// Created once per process: a registry rejects a second metric with the same name.
const registers = [metricsRegistry];

/** Event machinery metrics, all on `metricsRegistry`. */
export const eventMetrics = {
  outboxPending: new Gauge({
    name: "toko_outbox_pending_events",
    help: "Outbox rows not yet delivered to the bus (also when no relay runs)",
    labelNames: ["service"],
    registers,
  }),
  outboxLag: new Gauge({
    name: "toko_outbox_lag_seconds",
    help: "Age of the oldest undelivered outbox row (0 when none)",
    labelNames: ["service"],
    registers,
  }),
  consumerLag: new Gauge({
    name: "toko_events_consumer_lag",
    help: "Events on the bus not yet handled by the consumer group (Postgres bus: log positions past its offsets; NATS: pending and unacknowledged)",
    labelNames: ["group"],
    registers,
  }),
  busRetentionHeld: new Gauge({
    name: "toko_bus_retention_held_events",
    help: "Postgres bus events past their retention kept because the consumer group has not read them (alert when > 0)",
    labelNames: ["group"],
    registers,
  }),
  inboxPruned: new Counter({
    name: "toko_events_inbox_pruned_total",
    help: "Inbox rows (handled event ids) deleted after the inbox retention",
    registers,
  }),
  published: new Counter({
    name: "toko_events_published_total",
    help: "Events the outbox relay delivered to the bus",
    labelNames: ["bus"],
    registers,
  }),
  relayFailures: new Counter({
    name: "toko_outbox_relay_failures_total",
    help: "Relay batches that failed (bus or database unavailable) and will be retried",
    registers,
  }),
  deliveries: new Counter({
    name: "toko_events_deliveries_total",
    help: "Event deliveries to a consumer group's handler",
    labelNames: ["group", "type"],
    registers,
  }),
  redeliveries: new Counter({
    name: "toko_events_redeliveries_total",
    help: "Deliveries of an event the group had already been given (attempt > 1)",
    labelNames: ["group", "type"],
    registers,
  }),
  duplicates: new Counter({
    name: "toko_events_duplicates_total",
    help: "Deliveries skipped because the inbox shows the event already handled",
    labelNames: ["group", "type"],
    registers,
  }),
  handled: new Counter({
    name: "toko_events_handled_total",
    help: "Events handled and committed with their inbox row",
    labelNames: ["group", "type"],
    registers,
  }),
  handlerFailures: new Counter({
    name: "toko_events_handler_failures_total",
    help: "Handler attempts that threw",
    labelNames: ["group", "type"],
    registers,
  }),
  deadLettered: new Counter({
    name: "toko_events_dead_lettered_total",
    help: "Events moved to the dead letter store after too many failed attempts",
    labelNames: ["group", "type"],
    registers,
  }),
  timersFired: new Counter({
    name: "toko_timers_fired_total",
    help: "Durable timers whose handler completed",
    labelNames: ["kind"],
    registers,
  }),
  timerFailures: new Counter({
    name: "toko_timers_failures_total",
    help: "Durable timer handler attempts that failed",
    labelNames: ["kind"],
    registers,
  }),
  timersDeadLettered: new Counter({
    name: "toko_timers_dead_lettered_total",
    help: "Durable timers moved to the dead letters after too many failed attempts",
    labelNames: ["kind"],
    registers,
  }),
};
