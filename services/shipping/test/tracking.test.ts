import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { ShipmentStatusChanged } from "@toko/contracts/toko/shipping/v1/events";
import { type Shipment, ShipmentStatus } from "@toko/contracts/toko/shipping/v1/shipping";
import { countRows, rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

const S = ShipmentStatus;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** A fresh J&T shipment and a way to send J&T webhook events about it. */
async function jntShipment() {
  const booking = h.booking({ optionId: "jnt-ez" });
  const { shipment } = await h.order.createShipment(booking);
  assert.ok(shipment);
  const send = (status: string, at: string, location = "", eventId: string = randomUUID()) =>
    h.webhook("jnt", { event_id: eventId, awb: shipment.awb, status, occurred_at: at, location });
  const read = async (): Promise<Shipment> => {
    const res = await h.as(booking.buyerId).getShipment({ shipmentId: shipment.id });
    assert.ok(res.shipment);
    return res.shipment;
  };
  const changes = async () => {
    const envelopes = await h.outbox("toko.shipping.v1.ShipmentStatusChanged");
    return envelopes
      .filter((e) => e.subject === shipment.id)
      .map((e) => ShipmentStatusChanged.decode(e.payload))
      .map((c) => [c.previousStatus, c.status]);
  };
  return { shipment, send, read, changes };
}

describe("signed carrier webhooks", () => {
  test("a journey in order: the timeline grows and each status change is published", async () => {
    const s = await jntShipment();
    const r1 = await s.send("PICKUP", minutesAgo(50), "Bandung");
    assert.deepEqual([r1.duplicate, r1.status], [false, S.SHIPMENT_STATUS_PICKED_UP]);
    await s.send("TRANSIT", minutesAgo(40), "Hub Cikarang");
    await s.send("TRANSIT", minutesAgo(30), "Hub Surabaya");
    await s.send("DELIVERING", minutesAgo(20), "Surabaya");
    await s.send("SIGNED", minutesAgo(10), "Surabaya");
    const shipment = await s.read();
    assert.equal(shipment.status, S.SHIPMENT_STATUS_DELIVERED);
    assert.deepEqual(
      shipment.timeline.map((e) => [e.status, e.location]),
      [
        [S.SHIPMENT_STATUS_PICKED_UP, "Bandung"],
        [S.SHIPMENT_STATUS_IN_TRANSIT, "Hub Cikarang"],
        [S.SHIPMENT_STATUS_IN_TRANSIT, "Hub Surabaya"],
        [S.SHIPMENT_STATUS_OUT_FOR_DELIVERY, "Surabaya"],
        [S.SHIPMENT_STATUS_DELIVERED, "Surabaya"],
      ],
    );
    // Two in-transit events: one status change.
    assert.deepEqual(await s.changes(), [
      [S.SHIPMENT_STATUS_AWAITING_PICKUP, S.SHIPMENT_STATUS_PICKED_UP],
      [S.SHIPMENT_STATUS_PICKED_UP, S.SHIPMENT_STATUS_IN_TRANSIT],
      [S.SHIPMENT_STATUS_IN_TRANSIT, S.SHIPMENT_STATUS_OUT_FOR_DELIVERY],
      [S.SHIPMENT_STATUS_OUT_FOR_DELIVERY, S.SHIPMENT_STATUS_DELIVERED],
    ]);
  });

  test("a duplicated event (same event id, sent three times) is recorded once", async () => {
    const s = await jntShipment();
    const id = randomUUID();
    const first = await s.send("PICKUP", minutesAgo(5), "Bandung", id);
    const second = await s.send("PICKUP", minutesAgo(5), "Bandung", id);
    const third = await s.send("PICKUP", minutesAgo(5), "Bandung", id);
    assert.deepEqual([first.duplicate, second.duplicate, third.duplicate], [false, true, true]);
    assert.equal((await s.read()).timeline.length, 1);
    assert.equal((await s.changes()).length, 1);
  });

  test("a late 'in transit' after 'delivered' is kept in event-time order but moves nothing back", async () => {
    const s = await jntShipment();
    await s.send("PICKUP", minutesAgo(60), "Bandung");
    await s.send("SIGNED", minutesAgo(10), "Surabaya");
    const late = await s.send("TRANSIT", minutesAgo(30), "Hub Surabaya");
    assert.equal(late.status, S.SHIPMENT_STATUS_DELIVERED);
    const shipment = await s.read();
    assert.equal(shipment.status, S.SHIPMENT_STATUS_DELIVERED);
    assert.deepEqual(
      shipment.timeline.map((e) => e.status),
      [S.SHIPMENT_STATUS_PICKED_UP, S.SHIPMENT_STATUS_IN_TRANSIT, S.SHIPMENT_STATUS_DELIVERED],
    );
    assert.deepEqual((await s.changes()).at(-1), [S.SHIPMENT_STATUS_PICKED_UP, S.SHIPMENT_STATUS_DELIVERED]);
  });

  test("events arriving in reverse order end at the latest one's status", async () => {
    const s = await jntShipment();
    await s.send("DELIVERING", minutesAgo(10));
    await s.send("TRANSIT", minutesAgo(20));
    await s.send("PICKUP", minutesAgo(30));
    const shipment = await s.read();
    assert.equal(shipment.status, S.SHIPMENT_STATUS_OUT_FOR_DELIVERY);
    assert.deepEqual(
      shipment.timeline.map((e) => e.status),
      [S.SHIPMENT_STATUS_PICKED_UP, S.SHIPMENT_STATUS_IN_TRANSIT, S.SHIPMENT_STATUS_OUT_FOR_DELIVERY],
    );
  });

  test("a failed attempt, then returned to sender: final", async () => {
    const s = await jntShipment();
    await s.send("DELIVERING", minutesAgo(30));
    assert.equal((await s.send("PROBLEM", minutesAgo(20))).status, S.SHIPMENT_STATUS_DELIVERY_FAILED);
    assert.equal((await s.send("RETURNED", minutesAgo(10))).status, S.SHIPMENT_STATUS_RETURNED_TO_SENDER);
    assert.equal((await s.send("SIGNED", minutesAgo(1))).status, S.SHIPMENT_STATUS_RETURNED_TO_SENDER);
  });

  test("once out for delivery, the buyer can no longer change the delivery window", async () => {
    const booking = h.booking({ optionId: "anteraja-reg" });
    const { shipment } = await h.order.createShipment(booking);
    assert.ok(shipment);
    const route = {
      originCity: "Bandung",
      originProvince: "",
      destinationCity: "Surabaya",
      destinationProvince: "",
    };
    const [first, second] = (await h.anonymous.listDeliverySlots({ optionId: "anteraja-reg", ...route }))
      .slots;
    const buyer = h.as(booking.buyerId);
    await buyer.chooseDeliverySlot({ shipmentId: shipment.id, deliverySlotId: first?.id ?? "" });
    await h.webhook("anteraja", {
      event_id: randomUUID(),
      awb: shipment.awb,
      status: "240",
      occurred_at: minutesAgo(1),
    });
    await rejectsWithCode(
      buyer.chooseDeliverySlot({ shipmentId: shipment.id, deliverySlotId: second?.id ?? "" }),
      "SHIPMENT_CONFLICT",
    );
    const after = await buyer.getShipment({ shipmentId: shipment.id });
    assert.equal(after.shipment?.deliverySlot?.id, first?.id);
  });

  test("forged, stale, unsigned or another carrier's signatures are UNAUTHENTICATED and change nothing", async () => {
    const s = await jntShipment();
    const body = {
      event_id: randomUUID(),
      awb: s.shipment.awb,
      status: "PICKUP",
      occurred_at: minutesAgo(1),
    };
    const events = await countRows(h.db.pool, "tracking_events");
    await rejectsWithCode(
      h.webhook("jnt", body, { secret: "not-the-carriers-secret-at-all" }),
      "BAD_SIGNATURE",
    );
    await rejectsWithCode(
      h.webhook("jnt", body, { at: new Date(Date.now() - 6 * 60_000) }),
      "STALE_SIGNATURE",
    );
    await rejectsWithCode(h.webhook("jnt", body, { signature: "" }), "BAD_SIGNATURE");
    await rejectsWithCode(h.webhook("jnt", body, { signature: "t=1,v1=abc" }), "BAD_SIGNATURE");
    // JNE's secret does not sign J&T's webhooks.
    await rejectsWithCode(h.webhook("jnt", body, { signAs: "jne" }), "BAD_SIGNATURE");
    // Nor does a valid signature cover a body changed after signing.
    await rejectsWithCode(
      h.webhook("jnt", body, { tamper: (raw) => raw.replace("PICKUP", "SIGNED") }),
      "BAD_SIGNATURE",
    );
    assert.equal(await countRows(h.db.pool, "tracking_events"), events);
    assert.equal((await s.read()).status, S.SHIPMENT_STATUS_AWAITING_PICKUP);
  });

  test("unknown carriers, unknown waybills, unknown codes and malformed bodies are refused", async () => {
    const s = await jntShipment();
    const good = {
      event_id: randomUUID(),
      awb: s.shipment.awb,
      status: "PICKUP",
      occurred_at: minutesAgo(1),
    };
    await rejectsWithCode(h.webhook("pos", good), "NOT_FOUND");
    await rejectsWithCode(h.webhook("jnt", { ...good, awb: "JP0000000000" }), "NOT_FOUND");
    const code = await rejectsWithCode(h.webhook("jnt", { ...good, status: "D01" }), "VALIDATION_FAILED");
    assert.equal(code.violations[0]?.field, "status");
    await rejectsWithCode(h.webhook("jnt", "{not json"), "VALIDATION_FAILED");
    const fields = await rejectsWithCode(
      h.webhook("jnt", { awb: s.shipment.awb, occurred_at: "yesterday" }),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(
      fields.violations.map((v) => v.field),
      ["event_id", "status", "occurred_at"],
    );
    await rejectsWithCode(
      h.webhook("jnt", { ...good, occurred_at: new Date(Date.now() + 3_600_000).toISOString() }),
      "VALIDATION_FAILED",
    );
    assert.equal((await s.read()).timeline.length, 0);
  });
});
