import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Shipment, ShippingServiceClient } from "@toko/contracts/toko/shipping/v1/shipping";
import { createClient } from "@toko/kit";
import {
  createTestDatabase,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
} from "@toko/testing";
import { shippingModule } from "../src/routes/shipping/index.ts";
import { INTERNAL_SECRET, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// Rates, tracking and carrier webhooks through the real gateway over HTTP, to the real shipping
// process over gRPC and PostgreSQL.
const JNT_SECRET = "jnt-webhook-secret-for-gateway-tests";
let issuer: TestIssuer;
let dbs: TestDatabase[] = [];
let shipping: ServiceProcess;
let gateway: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  dbs = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const [db, bus] = dbs as [TestDatabase, TestDatabase];
  shipping = await startServiceProcess(join(import.meta.dirname, "..", "..", "..", "services", "shipping"), {
    DATABASE_URL: db.url,
    EVENT_BUS: "postgres",
    BUS_DATABASE_URL: bus.url,
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    // Configured as in production: explicit webhook secrets, no simulated carrier.
    TOKO_ENV: "production",
    SHIPPING_SIMULATOR: "false",
    SHIPPING_WEBHOOK_SECRETS: `jnt=${JNT_SECRET}`,
  });
  gateway = await startGateway(
    issuer,
    { TOKO_SHIPPING_ADDR: shipping.grpcAddress },
    { modules: [shippingModule] },
  );
});
after(async () => {
  await gateway?.close();
  const code = await shipping?.stop();
  assert.equal(code, 0, shipping?.logs());
  await Promise.all([issuer?.close(), ...dbs.map((d) => d.drop())]);
});

type Reply = { status: number; headers: Headers; body: ReturnType<typeof JSON.parse> };

async function call(
  method: string,
  path: string,
  init: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
    body: init.body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

function problem(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.headers.get("content-type") ?? "", /application\/problem\+json/);
  assert.equal(reply.body.code, code, JSON.stringify(reply.body));
}

/** A shipment booked as the order service books it (service principal over gRPC). */
async function bookShipment(buyerId: string, sellerId: string, optionId = "jnt-ez"): Promise<Shipment> {
  const client = createClient(ShippingServiceClient, shipping.grpcAddress, {
    internalSecret: INTERNAL_SECRET,
  });
  try {
    const address = (city: string, province: string) => ({
      recipient: "Penerima",
      phone: "+62811000000",
      street: "Jl. Merdeka 1",
      district: "",
      city,
      province,
      postalCode: "",
    });
    const { shipment } = await client.createShipment(
      {
        orderId: `ord-${randomUUID()}`,
        buyerId,
        shopId: "shop-1",
        shopOwnerUserId: sellerId,
        origin: address("Yogyakarta", "DI Yogyakarta"),
        destination: address("Denpasar", "Bali"),
        parcel: { weightGrams: 2300, lengthCm: 30, widthCm: 20, heightCm: 15 },
        optionId,
        pickupSlotId: "",
        deliverySlotId: "",
      },
      { principal: { subject: "service:order", roles: ["service"], scopes: [] } },
    );
    assert.ok(shipment);
    return shipment;
  } finally {
    client.close();
  }
}

const sign = (body: string, at = new Date()) => {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", JNT_SECRET).update(`${t}.${body}`).digest("hex")}`;
};

describe("GET /api/v1/shipping/rates (anyone)", () => {
  test("quotes every carrier that serves Bandung→Surabaya, cheapest first, with ETA ranges", async () => {
    const r = await call(
      "GET",
      "/api/v1/shipping/rates?origin_city=Bandung&destination_city=Surabaya&weight_grams=1300&length_cm=10&width_cm=10&height_cm=10",
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.origin, { city: "Kota Bandung", province: "Jawa Barat" });
    assert.equal(r.body.zone, "same_island");
    assert.deepEqual(r.body.items[0], {
      id: "anteraja-reg",
      carrier: "AnterAja",
      service: "REG",
      price: { amount: 16_000, currency: "IDR" },
      etd_days: { min: 2, max: 4 },
      chargeable_weight_grams: 1000,
      delivery_slots: true,
    });
    const prices = r.body.items.map((i: { price: { amount: number } }) => i.price.amount);
    assert.deepEqual(
      prices,
      [...prices].sort((a, b) => a - b),
    );
    assert.match(r.headers.get("cache-control") ?? "", /max-age=60/);
  });

  test("GoSend appears only within one city", async () => {
    const r = await call(
      "GET",
      "/api/v1/shipping/rates?origin_city=Kota%20Bandung&destination_city=Bandung&weight_grams=1000",
    );
    assert.ok(r.body.items.some((i: { id: string }) => i.id === "gosend-instant"));
  });

  test("an unknown city is 422 naming the field and the reason", async () => {
    const r = await call(
      "GET",
      "/api/v1/shipping/rates?origin_city=Atlantis&destination_city=Surabaya&weight_grams=1000",
    );
    problem(r, 422, "VALIDATION_FAILED");
    assert.deepEqual(r.body.errors, [
      { field: "origin_city", message: 'no city or regency named "Atlantis"' },
    ]);
  });

  test("zero or absurd weight, a half-given size, a missing city: 422, never 5xx", async () => {
    for (const query of [
      "origin_city=Bandung&destination_city=Surabaya&weight_grams=0",
      "origin_city=Bandung&destination_city=Surabaya&weight_grams=99999999",
      "origin_city=Bandung&destination_city=Surabaya&weight_grams=abc",
      "origin_city=Bandung&destination_city=Surabaya&weight_grams=1000&length_cm=100000",
      "origin_city=Bandung&weight_grams=1000",
    ]) {
      problem(await call("GET", `/api/v1/shipping/rates?${query}`), 422, "VALIDATION_FAILED");
    }
    const half = await call(
      "GET",
      "/api/v1/shipping/rates?origin_city=Bandung&destination_city=Surabaya&weight_grams=1000&length_cm=10",
    );
    problem(half, 422, "VALIDATION_FAILED");
    assert.deepEqual(
      half.body.errors.map((e: { field: string }) => e.field),
      ["width_cm", "height_cm"],
    );
  });
});

describe("GET /api/v1/shipments/{id} (the order's buyer or seller)", () => {
  test("the buyer and the seller see AWB, status and timeline; anyone else gets 404", async () => {
    const buyer = `buyer-${randomUUID()}`;
    const seller = `seller-${randomUUID()}`;
    const s = await bookShipment(buyer, seller);
    const asBuyer = await call("GET", `/api/v1/shipments/${s.id}`, { token: await issuer.mint(buyer) });
    assert.equal(asBuyer.status, 200, JSON.stringify(asBuyer.body));
    assert.equal(asBuyer.body.awb, s.awb);
    assert.match(asBuyer.body.awb, /^JP\d{10}$/);
    assert.equal(asBuyer.body.status, "awaiting_pickup");
    assert.deepEqual(asBuyer.body.destination, { city: "Kota Denpasar", province: "Bali" });
    // 2.3 kg actual, 30×20×15 = 1.5 kg volumetric → 3 kg (J&T: every started kg) × Rp33,000 (inter-island).
    assert.deepEqual(asBuyer.body.price, { amount: 99_000, currency: "IDR" });
    assert.equal(asBuyer.body.delivery_slot, null);
    assert.ok(asBuyer.body.pickup_slot.start);
    const sellerToken = await issuer.mint(seller, { roles: ["buyer", "seller"], scope: "openid seller" });
    assert.equal((await call("GET", `/api/v1/shipments/${s.id}`, { token: sellerToken })).status, 200);
    problem(
      await call("GET", `/api/v1/shipments/${s.id}`, { token: await issuer.mint("someone-else") }),
      404,
      "NOT_FOUND",
    );
    problem(
      await call("GET", "/api/v1/shipments/not-an-id", { token: await issuer.mint(buyer) }),
      404,
      "NOT_FOUND",
    );
    problem(await call("GET", `/api/v1/shipments/${s.id}`), 401, "UNAUTHENTICATED");
  });
});

describe("pickup and delivery windows", () => {
  test("anyone lists a rate option's pickup windows; an unknown option is 422", async () => {
    const r = await call("GET", "/api/v1/shipping/pickup-slots?option_id=jne-reg&origin_city=Bandung");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.length > 0);
    assert.ok(r.body.items.every((s: { start: string }) => Date.parse(s.start) > Date.now()));
    problem(
      await call("GET", "/api/v1/shipping/pickup-slots?option_id=pos-kilat&origin_city=Bandung"),
      422,
      "OPTION_UNAVAILABLE",
    );
    problem(
      await call("GET", "/api/v1/shipping/pickup-slots?option_id=jne-reg&origin_city=Atlantis"),
      422,
      "VALIDATION_FAILED",
    );
  });

  test("delivery windows exist for AnterAja, not for JNE REG", async () => {
    const route = "origin_city=Yogyakarta&destination_city=Denpasar";
    const anteraja = await call("GET", `/api/v1/shipping/delivery-slots?option_id=anteraja-reg&${route}`);
    assert.ok(anteraja.body.items.length > 0, JSON.stringify(anteraja.body));
    assert.deepEqual(
      (await call("GET", `/api/v1/shipping/delivery-slots?option_id=jne-reg&${route}`)).body.items,
      [],
    );
  });

  test("the buyer chooses a delivery window; the seller's token, another buyer or a bad window cannot", async () => {
    const buyer = `buyer-${randomUUID()}`;
    const seller = `seller-${randomUUID()}`;
    const s = await bookShipment(buyer, seller, "anteraja-reg");
    const offered = await call(
      "GET",
      "/api/v1/shipping/delivery-slots?option_id=anteraja-reg&origin_city=Yogyakarta&destination_city=Denpasar",
    );
    const slot = offered.body.items[3];
    const path = `/api/v1/shipments/${s.id}/delivery-slot`;
    const json = { "content-type": "application/json" };
    const body = JSON.stringify({ slot_id: slot.id });
    const chosen = await call("PUT", path, { token: await issuer.mint(buyer), body, headers: json });
    assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
    assert.deepEqual(chosen.body.delivery_slot, slot);
    const sellerOnly = await issuer.mint(seller, { roles: ["seller"], scope: "openid seller" });
    problem(await call("PUT", path, { token: sellerOnly, body, headers: json }), 403, "FORBIDDEN");
    problem(
      await call("PUT", path, { token: await issuer.mint("another-buyer"), body, headers: json }),
      404,
      "NOT_FOUND",
    );
    problem(
      await call("PUT", path, {
        token: await issuer.mint(buyer),
        body: JSON.stringify({ slot_id: "x" }),
        headers: json,
      }),
      422,
      "SLOT_UNAVAILABLE",
    );
    problem(
      await call("PUT", path, { token: await issuer.mint(buyer), body: "{}", headers: json }),
      422,
      "VALIDATION_FAILED",
    );
  });
});

describe("POST /api/v1/shipping/webhooks/{carrier}", () => {
  test("a signed event moves the shipment; the same event again is a harmless duplicate", async () => {
    const buyer = `buyer-${randomUUID()}`;
    const s = await bookShipment(buyer, "seller-w");
    // Key order and spacing as the carrier chose them: the signature covers these exact bytes.
    const body = `{"awb": "${s.awb}",  "event_id": "jnt-1-${s.id}", "status": "PICKUP", "occurred_at": "${new Date(Date.now() - 60_000).toISOString()}", "location": "Yogyakarta"}`;
    const headers = { "content-type": "application/json", "x-carrier-signature": sign(body) };
    const first = await call("POST", "/api/v1/shipping/webhooks/jnt", { body, headers });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, {
      received: true,
      duplicate: false,
      shipment_id: s.id,
      status: "picked_up",
    });
    const again = await call("POST", "/api/v1/shipping/webhooks/jnt", { body, headers });
    assert.equal(again.body.duplicate, true);
    const view = await call("GET", `/api/v1/shipments/${s.id}`, { token: await issuer.mint(buyer) });
    assert.deepEqual(
      view.body.timeline.map((e: { status: string; location: string }) => [e.status, e.location]),
      [["picked_up", "Yogyakarta"]],
    );
  });

  test("any content type is taken raw: text/plain bodies verify too", async () => {
    const s = await bookShipment("buyer-t", "seller-t");
    const body = JSON.stringify({
      event_id: `t-${s.id}`,
      awb: s.awb,
      status: "TRANSIT",
      occurred_at: new Date().toISOString(),
    });
    const r = await call("POST", "/api/v1/shipping/webhooks/jnt", {
      body,
      headers: { "content-type": "text/plain", "x-carrier-signature": sign(body) },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // …and so do bodies sent with no content type at all.
    const bare = JSON.stringify({
      event_id: `n-${s.id}`,
      awb: s.awb,
      status: "DELIVERING",
      occurred_at: new Date().toISOString(),
    });
    const res = await fetch(`${gateway.url}/api/v1/shipping/webhooks/jnt`, {
      method: "POST",
      headers: { "x-carrier-signature": sign(bare) },
      body: new TextEncoder().encode(bare),
    });
    assert.equal(res.status, 200, await res.text());
  });

  test("a forged, stale or missing signature is 401 and changes nothing", async () => {
    const buyer = `buyer-${randomUUID()}`;
    const s = await bookShipment(buyer, "seller-f");
    const body = JSON.stringify({
      event_id: `f-${s.id}`,
      awb: s.awb,
      status: "SIGNED",
      occurred_at: new Date().toISOString(),
    });
    const json = { "content-type": "application/json" };
    const forged = `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`;
    problem(
      await call("POST", "/api/v1/shipping/webhooks/jnt", {
        body,
        headers: { ...json, "x-carrier-signature": forged },
      }),
      401,
      "BAD_SIGNATURE",
    );
    const stale = sign(body, new Date(Date.now() - 10 * 60_000));
    problem(
      await call("POST", "/api/v1/shipping/webhooks/jnt", {
        body,
        headers: { ...json, "x-carrier-signature": stale },
      }),
      401,
      "STALE_SIGNATURE",
    );
    problem(
      await call("POST", "/api/v1/shipping/webhooks/jnt", { body, headers: json }),
      401,
      "BAD_SIGNATURE",
    );
    const tampered = body.replace("SIGNED", "RETURNED");
    problem(
      await call("POST", "/api/v1/shipping/webhooks/jnt", {
        body: tampered,
        headers: { ...json, "x-carrier-signature": sign(body) },
      }),
      401,
      "BAD_SIGNATURE",
    );
    const view = await call("GET", `/api/v1/shipments/${s.id}`, { token: await issuer.mint(buyer) });
    assert.deepEqual([view.body.status, view.body.timeline], ["awaiting_pickup", []]);
  });

  test("an unknown carrier is 404", async () => {
    const body = "{}";
    problem(
      await call("POST", "/api/v1/shipping/webhooks/pos-indonesia", {
        body,
        headers: { "content-type": "application/json", "x-carrier-signature": sign(body) },
      }),
      404,
      "NOT_FOUND",
    );
  });
});
