import type { AwbFormat } from "./awb.ts";
import type { ServiceLevel } from "./service-level.ts";
import type { CarrierStatus } from "./tracking.ts";

/** A carrier as its data file describes it: AWB format, tracking vocabulary, service levels. */
export interface CarrierDefinition {
  /** Lower-case code in the webhook path and the timer keys: "jne". */
  code: string;
  /** Display name: "JNE". */
  name: string;
  awb: AwbFormat;
  /** The carrier's own tracking codes and the status each means. */
  statusCodes: Readonly<Record<string, CarrierStatus>>;
  levels: readonly ServiceLevel[];
}
