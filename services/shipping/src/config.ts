import { ConfigError, env, eventBusEnvShape, loadConfig, serviceEnvShape } from "@toko/kit";
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
   * Carrier webhook secrets, "jne=…,jnt=…". Required unless TOKO_ENV=development, where a
   * carrier not listed gets a secret derived from TOKO_INTERNAL_SECRET (what the simulated
   * carriers and tests sign with). Outside development a carrier not listed accepts no webhook.
   */
  SHIPPING_WEBHOOK_SECRETS: secretList(),
  /**
   * The development carrier: advances every new shipment to DELIVERED on a timer. Unset means
   * on in development (TOKO_ENV=development) and off anywhere else.
   */
  SHIPPING_SIMULATOR: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** Time between two simulated tracking events (five or so events to DELIVERED). */
  SHIPPING_SIMULATOR_STEP_MS: env.duration(15_000),
  /** How long a rate quote is answered from memory for the same inputs. */
  SHIPPING_QUOTE_CACHE_TTL_MS: env.duration(60_000),
  SHIPPING_QUOTE_CACHE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
});

/** The shipping service's configuration. */
export type ShippingConfig = Omit<z.infer<typeof schema>, "SHIPPING_SIMULATOR"> & {
  SHIPPING_SIMULATOR: boolean;
};

/**
 * Reads the configuration from the environment (the only reader of process.env). Outside
 * development it refuses to start without explicit webhook secrets: a secret derived from the
 * internal secret would let anyone holding that one forge carrier events, and would change
 * under every carrier when it rotates.
 */
export function readConfig(source: Record<string, string | undefined> = process.env): ShippingConfig {
  const c = loadConfig("shipping", schema, source);
  const development = c.TOKO_ENV === "development";
  if (!development && c.SHIPPING_WEBHOOK_SECRETS.size === 0) {
    throw new ConfigError("shipping", [
      {
        variable: "SHIPPING_WEBHOOK_SECRETS",
        message:
          "is required outside development (TOKO_ENV=development): each carrier's webhook secret, jne=…,jnt=…",
      },
    ]);
  }
  return { ...c, SHIPPING_SIMULATOR: c.SHIPPING_SIMULATOR ?? development };
}
