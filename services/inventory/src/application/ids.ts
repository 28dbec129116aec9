import { uuidv7 } from "@toko/kit";

/** A new id with a readable prefix (`wh_…`, `po_…`), time-ordered for index locality. */
export function newId(prefix: "wh" | "tr" | "sup" | "po"): string {
  return `${prefix}_${uuidv7().replaceAll("-", "")}`;
}
