import { ShipmentCreated, ShipmentStatusChanged } from "@toko/contracts/toko/shipping/v1/events";
import { createOutbox, protoEvent } from "@toko/kit";
import type { Transaction } from "kysely";
import type { ShippingEvents } from "../application/ports.ts";
import type { ShippingDatabase } from "../infrastructure/schema.ts";
import { kindToProto, shipmentToProto, statusToProto } from "./proto-mapping.ts";

const outbox = createOutbox("shipping");
const type = (name: string) => `toko.shipping.v1.${name}`;

/** The shipping integration events, written to the outbox of `trx` (subject = shipment id). */
export function outboxEvents(trx: Transaction<ShippingDatabase>): ShippingEvents {
  return {
    async shipmentCreated(s) {
      await outbox.add(trx, [
        protoEvent(type("ShipmentCreated"), s.id, ShipmentCreated, { shipment: shipmentToProto(s) }),
      ]);
    },
    async statusChanged({ shipment: s, previous, event }) {
      await outbox.add(trx, [
        protoEvent(type("ShipmentStatusChanged"), s.id, ShipmentStatusChanged, {
          shipmentId: s.id,
          kind: kindToProto(s.kind),
          orderId: s.orderId,
          returnId: s.returnId ?? "",
          buyerId: s.buyerId,
          shopId: s.shopId,
          awb: s.awb,
          previousStatus: statusToProto(previous),
          status: statusToProto(s.status),
          occurredAt: event.occurredAt,
          location: event.location,
        }),
      ]);
    },
  };
}
