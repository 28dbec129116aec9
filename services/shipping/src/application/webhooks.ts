import { DomainError, errors, type FieldViolation } from "@toko/kit";
import type { CarrierStatus } from "../domain/tracking.ts";
import type { Carrier, ShippingDeps } from "./ports.ts";
import { type Recorded, recordCarrierEvent } from "./tracking.ts";

/** A carrier's tracking event as its webhook body carries it (JSON). */
interface WebhookEvent {
  eventId: string;
  awb: string;
  status: CarrierStatus;
  occurredAt: Date;
  location: string;
  description: string;
}

/** Events claiming to be from further ahead than this are refused (clock skew allowance). */
const MAX_FUTURE_MS = 10 * 60_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function text(
  body: Record<string, unknown>,
  key: string,
  max: number,
  required: boolean,
  out: FieldViolation[],
) {
  const value = body[key];
  if (value === undefined || value === null || value === "") {
    if (required) out.push({ field: key, message: "is required" });
    return "";
  }
  if (typeof value !== "string" || value.length > max) {
    out.push({ field: key, message: `must be a string of at most ${max} characters` });
    return "";
  }
  return value;
}

/**
 * `{ event_id, awb, status, occurred_at, location?, description? }`, where `status` is one of
 * the carrier's own tracking codes. Anything else is VALIDATION_FAILED naming the field.
 */
export function parseWebhookBody(carrier: Carrier, raw: Uint8Array, now: Date): WebhookEvent {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch {
    throw errors.invalid("the webhook body is not JSON", [{ field: "body", message: "is not JSON" }]);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw errors.invalid("the webhook body must be a JSON object", [
      { field: "body", message: "must be an object" },
    ]);
  }
  const b = body as Record<string, unknown>;
  const out: FieldViolation[] = [];
  const eventId = text(b, "event_id", 100, true, out);
  const awb = text(b, "awb", 40, true, out);
  const code = text(b, "status", 40, true, out);
  const at = text(b, "occurred_at", 40, true, out);
  const location = text(b, "location", 200, false, out);
  const description = text(b, "description", 500, false, out);
  const status = code ? carrier.statusOf(code) : undefined;
  if (code && !status) out.push({ field: "status", message: `is not a ${carrier.name} tracking code` });
  const occurredAt = new Date(at);
  if (at && (!RFC3339.test(at) || Number.isNaN(occurredAt.getTime()))) {
    out.push({ field: "occurred_at", message: "must be an RFC 3339 timestamp" });
  } else if (at && occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    out.push({ field: "occurred_at", message: "is in the future" });
  }
  if (out.length > 0 || !status) {
    throw errors.invalid(out.map((v) => `${v.field} ${v.message}`).join("; "), out);
  }
  return { eventId, awb, status, occurredAt, location, description };
}

/**
 * ReceiveCarrierWebhook: checks the signature over the raw body before reading it (a forged or
 * stale call changes nothing), then records the event on the shipment with that AWB.
 */
export async function receiveWebhook(
  deps: ShippingDeps,
  carrierCode: string,
  body: Uint8Array,
  signature: string,
): Promise<Recorded> {
  const carrier = deps.carriers.byCode(carrierCode);
  // The carrier names the resource (it is the webhook's path id): an unknown one is NOT_FOUND.
  if (!carrier) throw errors.notFound("carrier");
  const now = deps.clock.now();
  const verdict = deps.verifier.verify(carrier.code, body, signature, now);
  if (verdict === "bad_signature") {
    throw new DomainError("unauthenticated", "BAD_SIGNATURE", "the webhook signature does not match");
  }
  if (verdict === "stale") {
    throw new DomainError("unauthenticated", "STALE_SIGNATURE", "the webhook signature is too old");
  }
  const event = parseWebhookBody(carrier, body, now);
  return deps.uow.run(async (tx) => {
    const shipment = await tx.shipments.lockByAwb(carrier.code, event.awb);
    if (!shipment) throw errors.notFound("shipment");
    return recordCarrierEvent(tx, shipment, {
      carrierCode: carrier.code,
      eventId: event.eventId,
      status: event.status,
      occurredAt: event.occurredAt,
      location: event.location,
      description: event.description,
      source: "webhook",
      receivedAt: now,
    });
  });
}
