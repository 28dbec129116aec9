import { z } from "zod";
import { env } from "../config/config.ts";
import type { EventBus } from "./bus.ts";
import { createNatsBus } from "./nats-bus.ts";
import { createPostgresBus } from "./postgres-bus.ts";

/** Variables that choose and reach the event bus; spread into a service's config schema. */
export const eventBusEnvShape = {
  /** "postgres" (default, the shared bus database) or "nats" (JetStream). */
  EVENT_BUS: z.enum(["postgres", "nats"]).default("postgres"),
  BUS_DATABASE_URL: env.postgresUrl().optional(),
  NATS_URL: z
    .string()
    .regex(/^nats:\/\//, "must be a nats:// URL")
    .default("nats://127.0.0.1:4222"),
};

export interface EventBusConfig {
  EVENT_BUS: "postgres" | "nats";
  BUS_DATABASE_URL?: string | undefined;
  NATS_URL: string;
}

/** Connects the bus the configuration names. */
export async function createEventBus(config: EventBusConfig, name?: string): Promise<EventBus> {
  if (config.EVENT_BUS === "nats") return createNatsBus({ servers: config.NATS_URL, name });
  if (!config.BUS_DATABASE_URL) throw new Error("BUS_DATABASE_URL is required when EVENT_BUS=postgres");
  return createPostgresBus({ url: config.BUS_DATABASE_URL });
}
