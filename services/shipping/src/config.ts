import { env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
import { z } from "zod";

/** "jne=secret,jnt=secret": one webhook secret per carrier code. */
const secretList = () =>
  z
    .string()
    .default("")
    .transform((v, ctx) => {
      const out = new Map<string, string>();
      for (const part of v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)) {
        const [code, secret] = [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)];
        if (!/^[a-z][a-z0-9-]*$/.test(code) || secret.length < 16) {
          ctx.addIssue({
            code: "custom",
            message: "must be carrier=secret pairs, secrets of 16+ characters",
          });
          return z.NEVER;
        }
        out.set(code, secret);
      }
      return out;
    });

const schema = z.object({
  ...serviceEnvShape,
  ...eventBusEnvShape,
  DATABASE_URL: env.postgresUrl(),
  /**
   * Carrier webhook secrets, "jne=…,jnt=…". A carrier not listed gets a secret derived from
   * TOKO_INTERNAL_SECRET (development: the simulated carriers and tests sign with it).
   */
  SHIPPING_WEBHOOK_SECRETS: secretList(),
  /** The development carrier: advances every new shipment to DELIVERED on a timer. */
  SHIPPING_SIMULATOR: env.flag(true),
  /** Time between two simulated tracking events (five or so events to DELIVERED). */
  SHIPPING_SIMULATOR_STEP_MS: env.duration(15_000),
  /** How long a rate quote is answered from memory for the same inputs. */
  SHIPPING_QUOTE_CACHE_TTL_MS: env.duration(60_000),
  SHIPPING_QUOTE_CACHE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
});

/** The shipping service's configuration. */
export type ShippingConfig = z.infer<typeof schema>;

/** Reads the configuration from the environment (the only reader of process.env). */
export function readConfig(source: Record<string, string | undefined> = process.env): ShippingConfig {
  return loadConfig("shipping", schema, source);
}
