import { randomUUID } from "node:crypto";
import type { Address } from "@toko/contracts/toko/common/v1/address";
import { type CreateShipmentRequest, ShippingServiceClient } from "@toko/contracts/toko/shipping/v1/shipping";
import { decodeEnvelope, type EventEnvelope } from "@toko/kit";
import {
  createTestDatabase,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
} from "@toko/testing";
import { readConfig } from "../src/config.ts";
import { signWebhook } from "../src/infrastructure/hmac-webhook-verifier.ts";
import { startShipping, webhookSecret } from "../src/start.ts";

/** The order service's identity when it books shipments. */
export const ORDER_SERVICE = testPrincipal("service:order", ["service"]);

/** A Bandung shop's pickup address. */
export const shopAddress = (over: Partial<Address> = {}): Address => ({
  recipient: "Toko Berkah",
  phone: "+6281200000001",
  street: "Jl. Braga No. 10",
  district: "Sumur Bandung",
  city: "Bandung",
  province: "Jawa Barat",
  postalCode: "40111",
  ...over,
});

/** A Surabaya buyer's delivery address. */
export const buyerAddress = (over: Partial<Address> = {}): Address => ({
  recipient: "Siti Rahma",
  phone: "+6281300000002",
  street: "Jl. Tunjungan No. 5",
  district: "Genteng",
  city: "Surabaya",
  province: "Jawa Timur",
  postalCode: "60275",
  ...over,
});

/** The shipping service on a fresh database with a real PostgreSQL bus; `env` overrides config. */
export async function startHarness(env: Record<string, string> = {}) {
  const db: TestDatabase = await createTestDatabase();
  const busDb: TestDatabase = await createTestDatabase();
  const config = readConfig({
    DATABASE_URL: db.url,
    EVENT_BUS: "postgres",
    BUS_DATABASE_URL: busDb.url,
    GRPC_PORT: "0",
    OPS_PORT: "0",
    LOG_LEVEL: "silent",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    // Carriers sign with secrets derived from the internal secret, as in a laptop run.
    TOKO_ENV: "development",
    SHIPPING_SIMULATOR: "false",
    ...env,
  });
  const svc: TestService = await startTestService(() => startShipping(config));
  const anonymous = svc.client(ShippingServiceClient);
  const as = (subject: string, roles: string[] = ["buyer"]) =>
    svc.client(ShippingServiceClient, { principal: testPrincipal(subject, roles) });
  const order = svc.client(ShippingServiceClient, { principal: ORDER_SERVICE });
  return {
    db,
    svc,
    anonymous,
    as,
    order,
    /** A booking request for a fresh order from a Bandung shop to a Surabaya buyer. */
    booking(over: Partial<CreateShipmentRequest> = {}): CreateShipmentRequest {
      return {
        orderId: `ord-${randomUUID()}`,
        buyerId: `buyer-${randomUUID()}`,
        shopId: `shop-${randomUUID()}`,
        shopOwnerUserId: `seller-${randomUUID()}`,
        origin: shopAddress(),
        destination: buyerAddress(),
        parcel: { weightGrams: 1200, lengthCm: 20, widthCm: 15, heightCm: 10 },
        optionId: "jne-reg",
        pickupSlotId: "",
        deliverySlotId: "",
        ...over,
      };
    },
    /**
     * Sends a webhook body signed as the carrier would; `secret`, `signAs` (another carrier's
     * secret), `at` (an old timestamp), `signature` or `tamper` (changes the body after signing)
     * forge it.
     */
    webhook(
      carrier: string,
      body: unknown,
      options: {
        secret?: string;
        signAs?: string;
        at?: Date;
        signature?: string;
        tamper?: (raw: string) => string;
      } = {},
    ) {
      const raw = typeof body === "string" ? body : JSON.stringify(body);
      const secret = options.secret ?? webhookSecret(config, options.signAs ?? carrier) ?? "";
      const signature = options.signature ?? signWebhook(secret, raw, options.at ?? new Date());
      const sent = options.tamper ? options.tamper(raw) : raw;
      return anonymous.receiveCarrierWebhook({ carrier, body: Buffer.from(sent), signature });
    },
    /** Envelopes in the outbox of one type, oldest first. */
    async outbox(type: string): Promise<EventEnvelope[]> {
      const { rows } = await db.pool.query<{ envelope: Buffer }>(
        "SELECT envelope FROM kit_outbox WHERE type = $1 ORDER BY id",
        [type],
      );
      return rows.map((r) => decodeEnvelope(r.envelope));
    },
    async stop() {
      await svc.stop();
      await db.drop();
      await busDb.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
