import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { advance, type CarrierStatus, type StatusState } from "./tracking.ts";

const at = (hh: number) => new Date(Date.UTC(2026, 0, 5, hh));
const state = (status: StatusState["status"], hh: number | null): StatusState => ({
  status,
  statusAt: hh === null ? null : at(hh),
});
const apply = (current: StatusState, status: CarrierStatus, hh: number) =>
  advance(current, { status, occurredAt: at(hh) });

describe("a shipment's status under carrier events", () => {
  test("moves forward with events in time order", () => {
    const r = apply(state("awaiting_pickup", null), "picked_up", 9);
    assert.deepEqual(r, { state: state("picked_up", 9), changed: true });
    assert.deepEqual(apply(r.state, "in_transit", 11).state, state("in_transit", 11));
  });
  test("a late in-transit (10:00) after out-for-delivery (12:00) does not move it back", () => {
    assert.equal(apply(state("out_for_delivery", 12), "in_transit", 10).changed, false);
  });
  test("nothing moves a delivered or returned shipment, even a later event", () => {
    assert.equal(apply(state("delivered", 12), "in_transit", 13).changed, false);
    assert.equal(apply(state("returned_to_sender", 12), "delivered", 13).changed, false);
  });
  test("delivered applies even when stamped before the latest event", () => {
    assert.deepEqual(apply(state("in_transit", 14), "delivered", 13), {
      state: state("delivered", 14),
      changed: true,
    });
  });
  test("a second in-transit at a later hub keeps the status but advances its time", () => {
    const r = apply(state("in_transit", 10), "in_transit", 15);
    assert.deepEqual(r, { state: state("in_transit", 15), changed: false });
    // …so a picked-up stamped 12:00 arriving afterwards is late.
    assert.equal(apply(r.state, "picked_up", 12).changed, false);
  });
  test("after a failed attempt the carrier may go out for delivery again", () => {
    assert.equal(
      apply(state("delivery_failed", 12), "out_for_delivery", 16).state.status,
      "out_for_delivery",
    );
  });
});
