import assert from "node:assert/strict";
import { test } from "node:test";
import type { ShipmentRecord } from "./model.ts";
import { simulatedJourney } from "./simulated-carrier.ts";

const shipment = (from: string, to: string) =>
  ({
    carrier: "JNE",
    originCity: { id: from, name: from, province: "" },
    destinationCity: { id: to, name: to, province: "" },
    destination: { recipient: "Siti" },
  }) as unknown as ShipmentRecord;

test("between two cities the simulated courier passes both cities' hubs, then delivers", () => {
  assert.deepEqual(
    simulatedJourney(shipment("Kota Bandung", "Kota Surabaya")).map((l) => [l.status, l.location]),
    [
      ["picked_up", "Kota Bandung"],
      ["in_transit", "JNE hub, Kota Bandung"],
      ["in_transit", "JNE hub, Kota Surabaya"],
      ["out_for_delivery", "Kota Surabaya"],
      ["delivered", "Kota Surabaya"],
    ],
  );
});

test("within one city there is one hub", () => {
  assert.deepEqual(
    simulatedJourney(shipment("Kota Bandung", "Kota Bandung")).map((l) => l.status),
    ["picked_up", "in_transit", "out_for_delivery", "delivered"],
  );
});
