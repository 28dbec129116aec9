import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { databaseUrl, generateSealingKeys } from "@toko/kit";
import { discoverServices, type RunContext, type ServiceSpec, serviceEnv, startOrder } from "@toko/launcher";

/** The secrets production requires, generated for one run (never written anywhere). */
export interface ProductionSecrets {
  internalSecret: string;
  keyEncryptionKey: string;
  notificationKeys: { publicKey: string; privateKey: string };
  shippingWebhookSecrets: string;
  paymentWebhookSecret: string;
}

export function generateProductionSecrets(): ProductionSecrets {
  const hex = () => randomBytes(32).toString("hex");
  return {
    internalSecret: hex(),
    keyEncryptionKey: hex(),
    notificationKeys: generateSealingKeys(),
    shippingWebhookSecrets: ["jne", "jnt", "sicepat", "anteraja", "gosend"]
      .map((c) => `${c}=${hex()}`)
      .join(","),
    paymentWebhookSecret: hex(),
  };
}

/** Every deployable of the repository (ports and dependencies from each package.json's "toko" field). */
export function deployableSpecs(root: string): ServiceSpec[] {
  return startOrder(discoverServices(root));
}

/** A deployable's package.json, as the production tree has it. */
export function packageName(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name;
}

/**
 * The production environment of one process: the launcher's service process contract
 * (addresses, database, ports) with TOKO_ENV=production and every secret production requires.
 * `databasePrefix` keeps a run's databases apart from anything else on the server.
 */
export function productionEnv(
  spec: ServiceSpec,
  all: readonly ServiceSpec[],
  options: {
    adminUrl: string;
    databasePrefix: string;
    secrets: ProductionSecrets;
    publicOrigin: string;
    /** EVENT_BUS and friends (e.g. NATS_URL), SMTP_URL, anything else on top. */
    extra?: Record<string, string>;
  },
): Record<string, string> {
  const ctx: RunContext = {
    adminUrl: options.adminUrl,
    internalSecret: options.secrets.internalSecret,
    keyEncryptionKey: options.secrets.keyEncryptionKey,
    notificationKeys: options.secrets.notificationKeys,
    publicOrigin: options.publicOrigin,
    baseEnv: { TOKO_ENV: "production", ...options.extra },
  };
  const env = serviceEnv(spec, all, ctx);
  env.BUS_DATABASE_URL = databaseUrl(options.adminUrl, `${options.databasePrefix}bus`);
  if (spec.database)
    env.DATABASE_URL = databaseUrl(options.adminUrl, `${options.databasePrefix}${spec.database}`);
  if (spec.name === "shipping") env.SHIPPING_WEBHOOK_SECRETS = options.secrets.shippingWebhookSecrets;
  if (spec.name === "payment") {
    env.PAYMENT_WEBHOOK_SECRET = options.secrets.paymentWebhookSecret;
  }
  return env;
}
