import { z } from "zod";
import { env } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import type { EventBus } from "./bus.ts";
import { createNatsBus } from "./nats-bus.ts";
import { createPostgresBus } from "./postgres-bus.ts";

/** Variables that choose and reach the event bus; spread into a service's config schema. */
export const eventBusEnvShape = {
  /**
   * "postgres" (default, the shared bus database at BUS_DATABASE_URL, then required), "nats"
   * (JetStream at NATS_URL) or "none": no bus, events wait in the outbox and nothing is consumed.
   * A service with the kit's tables refuses to start without a reachable bus unless "none" is named.
   */
  EVENT_BUS: z.enum(["postgres", "nats", "none"]).default("postgres"),
  BUS_DATABASE_URL: env.postgresUrl().optional(),
  NATS_URL: z
    .string()
    .regex(/^nats:\/\//, "must be a nats:// URL")
    .default("nats://127.0.0.1:4222"),
  /**
   * The JetStream stream and subject prefix (defaults "TOKO_EVENTS", "toko.events"): two
   * installations sharing one NATS server keep their events and consumers apart with their own.
   */
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be letters, digits, - or _")
    .optional(),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i, "must be dot-separated tokens")
    .optional(),
  /**
   * How long a consumer keeps the ids of events it handled (the inbox) before pruning them; must
   * exceed the bus's retention (7 days), the longest an event can come again. Default 14 days.
   */
  EVENT_INBOX_RETENTION_MS: z.coerce.number().int().positive().optional(),
  /** Connections at most to the PostgreSQL bus's database (EVENT_BUS=postgres); default 10. */
  BUS_POOL_SIZE: z.coerce.number().int().min(2).max(100).optional(),
};

export interface EventBusConfig {
  EVENT_BUS: "postgres" | "nats" | "none";
  BUS_DATABASE_URL?: string | undefined;
  NATS_URL: string;
  NATS_STREAM?: string | undefined;
  NATS_SUBJECT_PREFIX?: string | undefined;
  EVENT_INBOX_RETENTION_MS?: number | undefined;
  BUS_POOL_SIZE?: number | undefined;
}

/** Connects the bus the configuration names; fails when it is unreachable or "none". */
export async function createEventBus(
  config: EventBusConfig,
  name?: string,
  logger?: Logger,
  /** How long the PostgreSQL bus's pool keeps an unused connection; default 30 s. */
  idleTimeoutMs?: number,
): Promise<EventBus> {
  if (config.EVENT_BUS === "none") throw new Error("EVENT_BUS=none: no event bus to connect");
  if (config.EVENT_BUS === "nats") {
    return createNatsBus({
      servers: config.NATS_URL,
      name,
      stream: config.NATS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
    });
  }
  if (!config.BUS_DATABASE_URL) throw new Error("BUS_DATABASE_URL is required when EVENT_BUS=postgres");
  return createPostgresBus({
    url: config.BUS_DATABASE_URL,
    logger,
    poolSize: config.BUS_POOL_SIZE,
    idleTimeoutMs,
  });
}
