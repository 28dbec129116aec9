import type { City, CityTable } from "../domain/geography.ts";
import type { ServiceLevel } from "../domain/service-level.ts";
import type { Slot } from "../domain/slots.ts";
import type { CarrierStatus, StatusState } from "../domain/tracking.ts";
import type { NewTrackingEvent, ShipmentKind, ShipmentRecord, ShipmentView, StatusChange } from "./model.ts";
import type { QuoteCache } from "./quote-cache.ts";
import type { RatesAnswer } from "./quote-rates.ts";

/** Writes inside one transaction: state, timeline, outbox events and timers commit together. */
export interface ShippingTx {
  shipments: {
    /** Serialises bookings of one order (or return) until the transaction ends. */
    lockReference(kind: ShipmentKind, reference: string): Promise<void>;
    byReference(kind: ShipmentKind, reference: string): Promise<ShipmentRecord | null>;
    /** False when the AWB is taken (the caller draws another). */
    insert(shipment: ShipmentRecord): Promise<boolean>;
    /** Locks the shipment row for the rest of the transaction. */
    lock(id: string): Promise<ShipmentRecord | null>;
    lockByAwb(carrierCode: string, awb: string): Promise<ShipmentRecord | null>;
    setStatus(id: string, state: StatusState, now: Date): Promise<void>;
    setDeliverySlot(id: string, slot: Slot, now: Date): Promise<void>;
  };
  tracking: {
    /** False when the carrier already sent this event id (nothing written). */
    insert(shipmentId: string, event: NewTrackingEvent): Promise<boolean>;
  };
  events: ShippingEvents;
  /** The simulated carrier's next move for a shipment, a durable timer in this transaction. */
  simulation: {
    schedule(shipmentId: string, step: number, at: Date): Promise<void>;
  };
}

/** Integration events, written to the outbox of the current transaction. */
export interface ShippingEvents {
  shipmentCreated(shipment: ShipmentView): Promise<void>;
  statusChanged(change: StatusChange): Promise<void>;
}

export interface UnitOfWork {
  run<T>(fn: (tx: ShippingTx) => Promise<T>): Promise<T>;
}

/** Reads outside transactions. */
export interface ShippingReads {
  shipment(id: string): Promise<ShipmentView | null>;
}

/** One carrier behind the port: its rate tables, AWB numbering and tracking vocabulary. */
export interface Carrier {
  readonly code: string;
  readonly name: string;
  readonly levels: readonly ServiceLevel[];
  /** A fresh air waybill number in the carrier's format. */
  newAwb(): string;
  /** What one of the carrier's own tracking codes means; undefined when unknown. */
  statusOf(code: string): CarrierStatus | undefined;
}

/** Every carrier, by code and by service-level option id. */
export interface CarrierDirectory {
  all(): readonly Carrier[];
  byCode(code: string): Carrier | undefined;
  option(optionId: string): { carrier: Carrier; level: ServiceLevel } | undefined;
}

/** Checks a carrier webhook's signature header against the raw body. */
export interface WebhookVerifier {
  verify(
    carrierCode: string,
    body: Uint8Array,
    signature: string,
    now: Date,
  ): "ok" | "bad_signature" | "stale";
}

/** The development carrier: whether it drives shipments and how fast. */
export interface SimulatorSettings {
  enabled: boolean;
  /** Time between two simulated tracking events. */
  stepMs: number;
}

export interface Clock {
  now(): Date;
}

/** What the use cases need, wired by hand in start.ts (and in tests). */
export interface ShippingDeps {
  uow: UnitOfWork;
  reads: ShippingReads;
  cities: CityTable;
  carriers: CarrierDirectory;
  verifier: WebhookVerifier;
  quotes: QuoteCache<RatesAnswer>;
  simulator: SimulatorSettings;
  clock: Clock;
  newId: () => string;
}

export type { City };
