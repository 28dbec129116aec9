import { env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /** The user service (GrantRole when a shop opens). */
  TOKO_USER_ADDR: env.address().default("127.0.0.1:7051"),
  /** Demo marketplace size for `src/seed.ts`. */
  SEED_PRODUCTS: z.coerce.number().int().min(0).max(1_000_000).default(3_000),
});

/** The product service's configuration. */
export type ProductConfig = z.infer<typeof schema>;

/** Reads the configuration from the environment (the only reader of process.env). */
export function readConfig(source: Record<string, string | undefined> = process.env): ProductConfig {
  return loadConfig("product", schema, source);
}
