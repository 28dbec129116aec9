import { scheduleTimer } from "@toko/kit";
import { type Kysely, sql, type Transaction } from "kysely";
import type { ShippingEvents, ShippingTx, UnitOfWork } from "../application/ports.ts";
import type { ShippingDatabase } from "./schema.ts";
import { shipmentFromRow, shipmentToRow } from "./shipment-rows.ts";

type Trx = Transaction<ShippingDatabase>;

/** Timer kinds this service registers handlers for. */
export const TIMER_KINDS = { simulate: "shipping.simulate" } as const;

/** The write side of one transaction. */
export function shippingTx(trx: Trx, events: (trx: Trx) => ShippingEvents): ShippingTx {
  const lockRow = (id: string) =>
    trx.selectFrom("shipments").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
  return {
    shipments: {
      async lockReference(kind, reference) {
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`shipment:${kind}:${reference}`}, 0))`.execute(
          trx,
        );
      },
      async byReference(kind, reference) {
        const row = await trx
          .selectFrom("shipments")
          .selectAll()
          .where("kind", "=", kind)
          .where("reference", "=", reference)
          .executeTakeFirst();
        return row ? shipmentFromRow(row) : null;
      },
      async insert(shipment) {
        const result = await trx
          .insertInto("shipments")
          .values(shipmentToRow(shipment))
          .onConflict((oc) => oc.columns(["carrier_code", "awb"]).doNothing())
          .executeTakeFirst();
        return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
      },
      async lock(id) {
        const row = await lockRow(id);
        return row ? shipmentFromRow(row) : null;
      },
      async lockByAwb(carrierCode, awb) {
        const row = await trx
          .selectFrom("shipments")
          .selectAll()
          .where("carrier_code", "=", carrierCode)
          .where("awb", "=", awb)
          .forUpdate()
          .executeTakeFirst();
        return row ? shipmentFromRow(row) : null;
      },
      async setStatus(id, state, now) {
        await trx
          .updateTable("shipments")
          .set({ status: state.status, status_at: state.statusAt, updated_at: now })
          .where("id", "=", id)
          .execute();
      },
      async setDeliverySlot(id, slot, now) {
        await trx
          .updateTable("shipments")
          .set({ delivery_start: slot.start, delivery_end: slot.end, updated_at: now })
          .where("id", "=", id)
          .execute();
      },
    },
    tracking: {
      async insert(shipmentId, e) {
        const result = await trx
          .insertInto("tracking_events")
          .values({
            shipment_id: shipmentId,
            carrier_code: e.carrierCode,
            event_id: e.eventId,
            status: e.status,
            occurred_at: e.occurredAt,
            location: e.location,
            description: e.description,
            source: e.source,
            received_at: e.receivedAt,
          })
          .onConflict((oc) => oc.columns(["carrier_code", "event_id"]).doNothing())
          .executeTakeFirst();
        return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
      },
    },
    events: events(trx),
    simulation: {
      schedule: (shipmentId, step, at) =>
        scheduleTimer(trx, { kind: TIMER_KINDS.simulate, key: shipmentId, at, payload: { step } }),
    },
  };
}

/** Runs each unit of work in one database transaction. */
export function pgUnitOfWork(db: Kysely<ShippingDatabase>, events: (trx: Trx) => ShippingEvents): UnitOfWork {
  return { run: (fn) => db.transaction().execute((trx) => fn(shippingTx(trx, events))) };
}
