import type { Kysely } from "kysely";
import type { ShippingReads } from "../application/ports.ts";
import type { ShippingDatabase } from "./schema.ts";
import { eventFromRow, shipmentFromRow } from "./shipment-rows.ts";

/** Reads outside transactions. */
export function pgShippingReads(db: Kysely<ShippingDatabase>): ShippingReads {
  return {
    async shipment(id) {
      const row = await db.selectFrom("shipments").selectAll().where("id", "=", id).executeTakeFirst();
      if (!row) return null;
      const events = await db
        .selectFrom("tracking_events")
        .select(["status", "occurred_at", "location", "description"])
        .where("shipment_id", "=", id)
        .orderBy("occurred_at")
        .orderBy("id")
        .execute();
      return { ...shipmentFromRow(row), timeline: events.map(eventFromRow) };
    },
  };
}
