import {
  type ShippingServiceServer,
  ShippingServiceService,
} from "@toko/contracts/toko/shipping/v1/shipping";
import {
  type CallContext,
  type ImplementedService,
  type ImplementOptions,
  implement,
  requirePrincipal,
  requireServicePrincipal,
} from "@toko/kit";
import { createShipment, type ShipmentRequest } from "../application/create-shipment.ts";
import type { ShippingDeps } from "../application/ports.ts";
import { quoteRates } from "../application/quote-rates.ts";
import { chooseDeliverySlot, getShipment } from "../application/shipments.ts";
import { listDeliverySlots, listPickupSlots } from "../application/slots.ts";
import { receiveWebhook } from "../application/webhooks.ts";
import {
  addressFromProto,
  cityToProto,
  parcelFromProto,
  quoteToProto,
  shipmentToProto,
  slotToProto,
  statusToProto,
} from "./proto-mapping.ts";

// What the gateway serves to anyone: quotes and windows are public, and a carrier posting a
// webhook is no Toko user (its signature, checked by the use case, authenticates it).
const publicMethods: ImplementOptions<ShippingServiceServer> = {
  anonymous: ["quoteRates", "listPickupSlots", "listDeliverySlots", "receiveCarrierWebhook"],
};

/** `toko.shipping.v1.ShippingService` over the use cases: proto in, proto out, nothing else. */
export function shippingGrpcService(deps: ShippingDeps): ImplementedService {
  // Bookings come from the order service only; a buyer or seller never books directly.
  const book = async (req: ShipmentRequest, ctx: CallContext) => {
    requireServicePrincipal(ctx);
    return { shipment: shipmentToProto(await createShipment(deps, req)) };
  };
  return implement<ShippingServiceServer>(ShippingServiceService, publicMethods, {
    async quoteRates(req) {
      const answer = quoteRates(deps, {
        origin: { city: req.originCity, province: req.originProvince },
        destination: { city: req.destinationCity, province: req.destinationProvince },
        parcel: parcelFromProto(req.parcel),
      });
      return {
        quotes: answer.quotes.map(quoteToProto),
        origin: cityToProto(answer.origin),
        destination: cityToProto(answer.destination),
        zone: answer.zone,
      };
    },
    async listPickupSlots(req) {
      const slots = listPickupSlots(deps, req.optionId, {
        city: req.originCity,
        province: req.originProvince,
      });
      return { slots: slots.map(slotToProto) };
    },
    async listDeliverySlots(req) {
      const slots = listDeliverySlots(
        deps,
        req.optionId,
        { city: req.originCity, province: req.originProvince },
        { city: req.destinationCity, province: req.destinationProvince },
      );
      return { slots: slots.map(slotToProto) };
    },
    createShipment: (req, ctx) =>
      book(
        {
          kind: "outbound",
          orderId: req.orderId,
          returnId: "",
          buyerId: req.buyerId,
          shopId: req.shopId,
          shopOwnerId: req.shopOwnerUserId,
          origin: addressFromProto(req.origin),
          destination: addressFromProto(req.destination),
          parcel: parcelFromProto(req.parcel),
          optionId: req.optionId,
          pickupSlotId: req.pickupSlotId,
          deliverySlotId: req.deliverySlotId,
        },
        ctx,
      ),
    createReturnShipment: (req, ctx) =>
      book(
        {
          kind: "return",
          orderId: req.orderId,
          returnId: req.returnId,
          buyerId: req.buyerId,
          shopId: req.shopId,
          shopOwnerId: req.shopOwnerUserId,
          origin: addressFromProto(req.origin),
          destination: addressFromProto(req.destination),
          parcel: parcelFromProto(req.parcel),
          optionId: req.optionId,
          pickupSlotId: req.pickupSlotId,
          deliverySlotId: "",
        },
        ctx,
      ),
    async getShipment(req, ctx) {
      return { shipment: shipmentToProto(await getShipment(deps, requirePrincipal(ctx), req.shipmentId)) };
    },
    async chooseDeliverySlot(req, ctx) {
      const caller = requirePrincipal(ctx);
      const view = await chooseDeliverySlot(deps, caller, req.shipmentId, req.deliverySlotId);
      return { shipment: shipmentToProto(view) };
    },
    async receiveCarrierWebhook(req) {
      const { duplicate, shipment } = await receiveWebhook(deps, req.carrier, req.body, req.signature);
      return { duplicate, shipmentId: shipment.id, status: statusToProto(shipment.status) };
    },
  });
}
