import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ShipmentCreated } from "@toko/contracts/toko/shipping/v1/events";
import { ShipmentKind, ShipmentStatus } from "@toko/contracts/toko/shipping/v1/shipping";
import { countRows, rejectsWithCode } from "@toko/testing";
import { buyerAddress, type Harness, shopAddress, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h?.stop());

const AWB_FORMATS: [string, RegExp][] = [
  ["jne-reg", /^01\d{14}$/],
  ["jnt-ez", /^JP\d{10}$/],
  ["sicepat-reg", /^00\d{10}$/],
  ["anteraja-reg", /^11\d{11}$/],
];

describe("CreateShipment (the order service, service principal)", () => {
  test("books JNE REG: AWB in JNE's format, price from the addresses, earliest pickup window", async () => {
    const booking = h.booking();
    const { shipment } = await h.order.createShipment(booking);
    assert.ok(shipment);
    assert.match(shipment.awb, /^01\d{14}$/);
    assert.equal(shipment.status, ShipmentStatus.SHIPMENT_STATUS_AWAITING_PICKUP);
    assert.equal(shipment.kind, ShipmentKind.SHIPMENT_KIND_OUTBOUND);
    // 1.2 kg, 20×15×10 cm = 0.5 kg volumetric → 1 kg × Rp18,000 (same island).
    assert.deepEqual([shipment.price?.amount, shipment.chargeableWeightGrams], [18_000, 1000]);
    assert.deepEqual(shipment.origin, { name: "Kota Bandung", province: "Jawa Barat" });
    const { slots } = await h.anonymous.listPickupSlots({
      optionId: "jne-reg",
      originCity: "Bandung",
      originProvince: "",
    });
    assert.equal(shipment.pickupSlot?.id, slots[0]?.id);
    const [created] = await h.outbox("toko.shipping.v1.ShipmentCreated");
    assert.ok(created);
  });

  test("each carrier numbers its waybills its own way", async () => {
    for (const [optionId, format] of AWB_FORMATS) {
      const { shipment } = await h.order.createShipment(h.booking({ optionId }));
      assert.match(shipment?.awb ?? "", format, optionId);
    }
    const { shipment } = await h.order.createShipment(
      h.booking({
        optionId: "gosend-instant",
        destination: buyerAddress({ city: "Kota Bandung", province: "Jawa Barat" }),
      }),
    );
    assert.match(shipment?.awb ?? "", /^GK-11-\d{9}$/);
  });

  test("is idempotent per order id: a retry returns the first shipment and publishes nothing more", async () => {
    const booking = h.booking();
    const first = await h.order.createShipment(booking);
    const events = await countRows(h.db.pool, "kit_outbox", { type: "toko.shipping.v1.ShipmentCreated" });
    const again = await h.order.createShipment(booking);
    assert.equal(again.shipment?.id, first.shipment?.id);
    assert.equal(again.shipment?.awb, first.shipment?.awb);
    assert.equal(
      await countRows(h.db.pool, "kit_outbox", { type: "toko.shipping.v1.ShipmentCreated" }),
      events,
    );
    await rejectsWithCode(h.order.createShipment({ ...booking, optionId: "jnt-ez" }), "SHIPMENT_CONFLICT");
  });

  test("ShipmentCreated carries the shipment", async () => {
    const { shipment } = await h.order.createShipment(h.booking());
    const envelopes = await h.outbox("toko.shipping.v1.ShipmentCreated");
    const mine = envelopes.find((e) => e.subject === shipment?.id);
    assert.ok(mine);
    assert.equal(ShipmentCreated.decode(mine.payload).shipment?.awb, shipment?.awb);
  });

  test("a chosen pickup and delivery window are booked; unknown windows are SLOT_UNAVAILABLE", async () => {
    const route = {
      originCity: "Bandung",
      originProvince: "",
      destinationCity: "Surabaya",
      destinationProvince: "",
    };
    const pickup = (await h.anonymous.listPickupSlots({ optionId: "anteraja-reg", ...route })).slots.at(-1);
    const delivery = (await h.anonymous.listDeliverySlots({ optionId: "anteraja-reg", ...route })).slots[1];
    const { shipment } = await h.order.createShipment(
      h.booking({
        optionId: "anteraja-reg",
        pickupSlotId: pickup?.id ?? "",
        deliverySlotId: delivery?.id ?? "",
      }),
    );
    assert.deepEqual([shipment?.pickupSlot?.id, shipment?.deliverySlot?.id], [pickup?.id, delivery?.id]);
    const before = await countRows(h.db.pool, "shipments");
    await rejectsWithCode(
      h.order.createShipment(h.booking({ pickupSlotId: "20200101T000000Z-20200101T030000Z" })),
      "SLOT_UNAVAILABLE",
    );
    // JNE REG offers no delivery windows.
    await rejectsWithCode(
      h.order.createShipment(h.booking({ deliverySlotId: delivery?.id ?? "" })),
      "SLOT_UNAVAILABLE",
    );
    assert.equal(await countRows(h.db.pool, "shipments"), before);
  });

  test("an option that does not carry the parcel on the route is OPTION_UNAVAILABLE", async () => {
    await rejectsWithCode(
      h.order.createShipment(h.booking({ optionId: "gosend-instant" })),
      "OPTION_UNAVAILABLE",
    );
    await rejectsWithCode(
      h.order.createShipment(
        h.booking({ parcel: { weightGrams: 80_000, lengthCm: 0, widthCm: 0, heightCm: 0 } }),
      ),
      "OPTION_UNAVAILABLE",
    );
    await rejectsWithCode(h.order.createShipment(h.booking({ optionId: "pos-kilat" })), "OPTION_UNAVAILABLE");
  });

  test("bad input is VALIDATION_FAILED naming the fields", async () => {
    const e = await rejectsWithCode(
      h.order.createShipment(
        h.booking({ orderId: "", destination: buyerAddress({ city: "Atlantis", recipient: "" }) }),
      ),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(e.violations.map((v) => v.field).sort(), ["destination.recipient", "order_id"]);
    const city = await rejectsWithCode(
      h.order.createShipment(h.booking({ destination: buyerAddress({ city: "Atlantis" }) })),
      "VALIDATION_FAILED",
    );
    assert.equal(city.violations[0]?.field, "destination_city");
  });

  test("buyers, sellers and anonymous callers cannot book", async () => {
    const before = await countRows(h.db.pool, "shipments");
    await rejectsWithCode(h.as("buyer-1").createShipment(h.booking()), "FORBIDDEN");
    await rejectsWithCode(h.as("seller-1", ["seller"]).createShipment(h.booking()), "FORBIDDEN");
    await rejectsWithCode(h.anonymous.createShipment(h.booking()), "UNAUTHENTICATED");
    assert.equal(await countRows(h.db.pool, "shipments"), before);
  });
});

describe("GetShipment", () => {
  test("the buyer and the shop owner see it; anyone else, or a malformed id, is NOT_FOUND", async () => {
    const booking = h.booking();
    const { shipment } = await h.order.createShipment(booking);
    const id = shipment?.id ?? "";
    assert.equal((await h.as(booking.buyerId).getShipment({ shipmentId: id })).shipment?.awb, shipment?.awb);
    assert.equal(
      (await h.as(booking.shopOwnerUserId, ["seller"]).getShipment({ shipmentId: id })).shipment?.id,
      id,
    );
    await rejectsWithCode(h.as("someone-else").getShipment({ shipmentId: id }), "NOT_FOUND");
    await rejectsWithCode(h.as(booking.buyerId).getShipment({ shipmentId: "not-a-shipment" }), "NOT_FOUND");
    await rejectsWithCode(h.anonymous.getShipment({ shipmentId: id }), "UNAUTHENTICATED");
  });
});

describe("ChooseDeliverySlot", () => {
  test("the buyer picks a window of a level that offers them; others cannot", async () => {
    const booking = h.booking({ optionId: "sicepat-best" });
    const { shipment } = await h.order.createShipment(booking);
    const route = {
      originCity: "Bandung",
      originProvince: "",
      destinationCity: "Surabaya",
      destinationProvince: "",
    };
    const slot = (await h.anonymous.listDeliverySlots({ optionId: "sicepat-best", ...route })).slots[2];
    const id = shipment?.id ?? "";
    await rejectsWithCode(
      h
        .as(booking.shopOwnerUserId, ["seller"])
        .chooseDeliverySlot({ shipmentId: id, deliverySlotId: slot?.id ?? "" }),
      "FORBIDDEN",
    );
    await rejectsWithCode(
      h.anonymous.chooseDeliverySlot({ shipmentId: id, deliverySlotId: slot?.id ?? "" }),
      "UNAUTHENTICATED",
    );
    const chosen = await h
      .as(booking.buyerId)
      .chooseDeliverySlot({ shipmentId: id, deliverySlotId: slot?.id ?? "" });
    assert.equal(chosen.shipment?.deliverySlot?.id, slot?.id);
    await rejectsWithCode(
      h.as(booking.buyerId).chooseDeliverySlot({ shipmentId: id, deliverySlotId: "nope" }),
      "SLOT_UNAVAILABLE",
    );
  });
});

describe("CreateReturnShipment", () => {
  test("books the way back, buyer to shop, once per return id", async () => {
    const outbound = h.booking();
    await h.order.createShipment(outbound);
    const ret = {
      returnId: `ret-${outbound.orderId}`,
      orderId: outbound.orderId,
      buyerId: outbound.buyerId,
      shopId: outbound.shopId,
      shopOwnerUserId: outbound.shopOwnerUserId,
      origin: buyerAddress(),
      destination: shopAddress(),
      parcel: outbound.parcel,
      optionId: "sicepat-reg",
      pickupSlotId: "",
    };
    const { shipment } = await h.order.createReturnShipment(ret);
    assert.equal(shipment?.kind, ShipmentKind.SHIPMENT_KIND_RETURN);
    assert.equal(shipment?.returnId, ret.returnId);
    assert.deepEqual(shipment?.origin, { name: "Kota Surabaya", province: "Jawa Timur" });
    assert.match(shipment?.awb ?? "", /^00\d{10}$/);
    assert.equal((await h.order.createReturnShipment(ret)).shipment?.id, shipment?.id);
    assert.equal(
      (await h.as(outbound.buyerId).getShipment({ shipmentId: shipment?.id ?? "" })).shipment?.returnId,
      ret.returnId,
    );
    await rejectsWithCode(h.order.createReturnShipment({ ...ret, returnId: "" }), "VALIDATION_FAILED");
    // The buyer asks the order service for a return; only that service books it.
    const fresh = { ...ret, returnId: `ret2-${outbound.orderId}` };
    await rejectsWithCode(h.as(outbound.buyerId).createReturnShipment(fresh), "FORBIDDEN");
    await rejectsWithCode(h.anonymous.createReturnShipment(fresh), "UNAUTHENTICATED");
    assert.equal(await countRows(h.db.pool, "shipments", { return_id: fresh.returnId }), 0);
  });
});
