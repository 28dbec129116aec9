import type { Static } from "@sinclair/typebox";
import type { ShippingServiceClient } from "@toko/contracts/toko/shipping/v1/shipping";
import type { FastifyInstance, FastifyReply } from "fastify";
import { buyerOnly } from "../../auth/route-rules.ts";
import type { Upstream } from "../../upstreams.ts";
import { RatesCache } from "./rates-cache.ts";
import {
  CarrierParams,
  DeliverySlotBody,
  DeliverySlotsQuery,
  PickupSlotsQuery,
  problems,
  RatesQuery,
  RatesView,
  ShipmentParams,
  ShipmentView,
  SlotList,
  WebhookAck,
} from "./schemas.ts";
import { ratesJson, shipmentJson, slotJson, statusJson } from "./views.ts";

const tags = ["Shipping"];
const security = [{ bearer: [] }];
/** Quotes depend only on the bundled rate tables: browsers and proxies may keep them briefly. */
const RATES_CACHE_CONTROL = "public, max-age=60";
/** How long the gateway answers a repeated rates question itself (the service caches 60 s too). */
const RATES_TTL_MS = 30_000;
/** How long a stale answer may still be served while it is refreshed in the background. */
const RATES_STALE_MS = 5 * 60_000;
const RATES_ENTRIES = 20_000;

/** Per sending address; a signature check is cheap, so this only stops floods. */
const WEBHOOK_RATE_LIMIT = { max: 6_000, windowMs: 60_000 };

/** Rate quotes, shipment tracking for its buyer and seller, and carrier webhooks. */
export function registerShippingRoutes(
  app: FastifyInstance,
  upstream: Upstream<ShippingServiceClient>,
): void {
  const shipping = upstream.client;
  const rates = new RatesCache<ReturnType<FastifyReply["serialize"]>>(
    RATES_TTL_MS,
    RATES_STALE_MS,
    RATES_ENTRIES,
  );

  app.get<{ Querystring: Static<typeof RatesQuery> }>(
    "/api/v1/shipping/rates",
    {
      config: { auth: "none" },
      schema: {
        tags,
        summary: "Quotes per carrier and service level for one parcel between two cities, cheapest first",
        querystring: RatesQuery,
        response: { 200: RatesView, ...problems(422, 429, 503, 504) },
      },
    },
    async (request, reply) => {
      reply.header("cache-control", RATES_CACHE_CONTROL);
      const q = request.query;
      // The route's own serializer, so cached and fresh bodies are byte-identical.
      const load = async () => {
        const res = await shipping.quoteRates(
          {
            originCity: q.origin_city,
            originProvince: q.origin_province ?? "",
            destinationCity: q.destination_city,
            destinationProvince: q.destination_province ?? "",
            parcel: {
              weightGrams: q.weight_grams,
              lengthCm: q.length_cm ?? 0,
              widthCm: q.width_cm ?? 0,
              heightCm: q.height_cm ?? 0,
            },
          },
          { principal: null, requestId: request.id },
        );
        return reply.serialize(ratesJson(res));
      };
      const cached = rates.get(request.url);
      if (cached && !cached.fresh) {
        rates.refresh(request.url, load, (error) => request.log.warn({ err: error }, "rates refresh failed"));
      }
      const body = cached ? cached.body : await load();
      if (!cached) rates.set(request.url, body);
      return reply.type("application/json; charset=utf-8").send(body);
    },
  );

  app.get<{ Querystring: Static<typeof PickupSlotsQuery> }>(
    "/api/v1/shipping/pickup-slots",
    {
      config: { auth: "none" },
      schema: {
        tags,
        summary: "The pickup windows a rate option offers at a city over the next days",
        querystring: PickupSlotsQuery,
        response: { 200: SlotList, ...problems(422, 429, 503, 504) },
      },
    },
    async (request) => {
      const q = request.query;
      const { slots } = await shipping.listPickupSlots(
        { optionId: q.option_id, originCity: q.origin_city, originProvince: q.origin_province ?? "" },
        { principal: null, requestId: request.id },
      );
      return { items: slots.map(slotJson) };
    },
  );

  app.get<{ Querystring: Static<typeof DeliverySlotsQuery> }>(
    "/api/v1/shipping/delivery-slots",
    {
      config: { auth: "none" },
      schema: {
        tags,
        summary: "The delivery windows a rate option offers on a route (empty when it offers none)",
        querystring: DeliverySlotsQuery,
        response: { 200: SlotList, ...problems(422, 429, 503, 504) },
      },
    },
    async (request) => {
      const q = request.query;
      const { slots } = await shipping.listDeliverySlots(
        {
          optionId: q.option_id,
          originCity: q.origin_city,
          originProvince: q.origin_province ?? "",
          destinationCity: q.destination_city,
          destinationProvince: q.destination_province ?? "",
        },
        { principal: null, requestId: request.id },
      );
      return { items: slots.map(slotJson) };
    },
  );

  app.put<{ Params: Static<typeof ShipmentParams>; Body: Static<typeof DeliverySlotBody> }>(
    "/api/v1/shipments/:id/delivery-slot",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "The buyer chooses the delivery window (until the parcel is out for delivery)",
        params: ShipmentParams,
        body: DeliverySlotBody,
        response: { 200: ShipmentView, ...problems(400, 401, 403, 404, 409, 422, 503, 504) },
      },
    },
    async (request) => {
      const { shipment } = await shipping.chooseDeliverySlot(
        { shipmentId: request.params.id, deliverySlotId: request.body.slot_id },
        { principal: request.principal, requestId: request.id },
      );
      return shipmentJson(shipment);
    },
  );

  app.get<{ Params: Static<typeof ShipmentParams> }>(
    "/api/v1/shipments/:id",
    {
      config: { auth: "user" },
      schema: {
        tags,
        security,
        summary: "A shipment with its tracking timeline (the order's buyer or seller; anyone else 404)",
        params: ShipmentParams,
        response: { 200: ShipmentView, ...problems(401, 404, 503, 504) },
      },
    },
    async (request, reply) => {
      const { shipment } = await shipping.getShipment(
        { shipmentId: request.params.id },
        { principal: request.principal, requestId: request.id },
      );
      reply.header("cache-control", "private, no-store");
      return shipmentJson(shipment);
    },
  );

  // The signature covers the exact bytes the carrier sent, so this route takes the body raw
  // (any content type, unparsed) and hands it to the service, which checks it.
  app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    raw.post<{ Params: Static<typeof CarrierParams>; Body: Buffer }>(
      "/api/v1/shipping/webhooks/:carrier",
      {
        // Carriers post from a few addresses in bursts: their own, roomier bucket.
        config: { auth: "none", rateLimit: WEBHOOK_RATE_LIMIT },
        schema: {
          tags,
          summary:
            "Signed tracking events from a carrier (X-Carrier-Signature: t=<unix s>,v1=<hex HMAC-SHA256>)",
          description:
            "HMAC-SHA256 with the carrier's secret over \"<t>.<raw body>\"; older than five minutes or not matching → 401 and no effect. Body: { event_id, awb, status (the carrier's own code), occurred_at, location?, description? }.",
          params: CarrierParams,
          headers: {
            type: "object",
            properties: { "x-carrier-signature": { type: "string", maxLength: 200 } },
          },
          response: { 200: WebhookAck, ...problems(400, 401, 404, 413, 422, 429, 503, 504) },
        },
      },
      async (request) => {
        const signature = request.headers["x-carrier-signature"];
        const res = await shipping.receiveCarrierWebhook(
          {
            carrier: request.params.carrier,
            body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
            signature: typeof signature === "string" ? signature : "",
          },
          { principal: null, requestId: request.id },
        );
        return {
          received: true,
          duplicate: res.duplicate,
          shipment_id: res.shipmentId,
          status: statusJson(res.status),
        };
      },
    );
  });
}
