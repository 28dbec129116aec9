import type { CarrierDefinition } from "../../domain/carrier.ts";
import { anteraja } from "./anteraja.ts";
import { gosend } from "./gosend.ts";
import { jne } from "./jne.ts";
import { jnt } from "./jnt.ts";
import { sicepat } from "./sicepat.ts";

/** Every carrier the service books, each with its own rate table and rules. */
export const CARRIERS: readonly CarrierDefinition[] = [jne, jnt, sicepat, anteraja, gosend];
