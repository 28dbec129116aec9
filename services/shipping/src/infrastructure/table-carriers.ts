import { randomInt } from "node:crypto";
import type { Carrier, CarrierDirectory } from "../application/ports.ts";
import { newAwb } from "../domain/awb.ts";
import type { CarrierDefinition } from "../domain/carrier.ts";
import type { ServiceLevel } from "../domain/service-level.ts";

/** `count` decimal digits from the CSPRNG: AWB numbers must not be guessable. */
function randomDigits(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** A carrier adapter over its data file (rate tables, AWB format, tracking codes). */
export function tableCarrier(definition: CarrierDefinition, digits = randomDigits): Carrier {
  const codes = new Map(Object.entries(definition.statusCodes));
  return {
    code: definition.code,
    name: definition.name,
    levels: definition.levels,
    newAwb: () => newAwb(definition.awb, digits),
    statusOf: (code) => codes.get(code),
  };
}

/** The directory of carrier adapters built from their data files. */
export function carrierDirectory(carriers: readonly Carrier[]): CarrierDirectory {
  const byCode = new Map(carriers.map((c) => [c.code, c]));
  const options = new Map<string, { carrier: Carrier; level: ServiceLevel }>();
  for (const carrier of carriers)
    for (const level of carrier.levels) options.set(level.id, { carrier, level });
  return {
    all: () => carriers,
    byCode: (code) => byCode.get(code),
    option: (id) => options.get(id),
  };
}
