import { errors, type FieldViolation } from "@toko/kit/errors";

/** draft → sent → partially_received → received → closed; draft or sent → cancelled. */
export type PurchaseOrderStatus =
  | "draft"
  | "sent"
  | "partially_received"
  | "received"
  | "closed"
  | "cancelled";

/** A line as ordered and as delivered so far (`received` counts accepted units only). */
export interface PurchaseOrderLine {
  sku: string;
  quantity: number;
  unitCost: number;
  received: number;
  rejected: number;
}

/** A delivery of one SKU: accepted units go into stock, rejected ones go back to the supplier. */
export interface ReceiptLine {
  sku: string;
  received: number;
  rejected: number;
}

const allowed: Record<string, readonly PurchaseOrderStatus[]> = {
  send: ["draft"],
  receive: ["sent", "partially_received"],
  close: ["received", "partially_received"],
  cancel: ["draft", "sent"],
};

/** Throws INVALID_TRANSITION unless `action` is allowed from `status`. */
export function assertTransition(status: PurchaseOrderStatus, action: keyof typeof allowed): void {
  if (!allowed[action]?.includes(status)) {
    throw errors.precondition("INVALID_TRANSITION", `cannot ${action} a purchase order that is ${status}`);
  }
}

/** Validates new purchase order lines (positive quantities, non-negative integer costs, unique SKUs). */
export function checkOrderLines(lines: readonly Omit<PurchaseOrderLine, "received" | "rejected">[]): void {
  const violations: FieldViolation[] = [];
  if (lines.length === 0) violations.push({ field: "lines", message: "at least one line" });
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (!l.sku.trim()) violations.push({ field: `lines[${i}].sku`, message: "required" });
    if (seen.has(l.sku)) violations.push({ field: `lines[${i}].sku`, message: "appears twice" });
    seen.add(l.sku);
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0)
      violations.push({ field: `lines[${i}].quantity`, message: "must be a positive integer" });
    if (!Number.isSafeInteger(l.unitCost) || l.unitCost < 0)
      violations.push({ field: `lines[${i}].unit_cost`, message: "must be a non-negative integer (rupiah)" });
  });
  if (violations.length > 0) throw errors.invalid("invalid purchase order", violations);
}

/**
 * Books a delivery against the lines. Accepted units may not exceed what is still outstanding
 * (ordered − accepted so far); rejected units do not reduce what is outstanding, since the
 * supplier still owes them. Returns the new lines and the status: received once every line is
 * fully accepted, otherwise partially_received.
 */
export function receive(
  lines: readonly PurchaseOrderLine[],
  receipt: readonly ReceiptLine[],
): { lines: PurchaseOrderLine[]; status: PurchaseOrderStatus } {
  const violations: FieldViolation[] = [];
  if (receipt.length === 0) violations.push({ field: "lines", message: "at least one line" });
  const next = lines.map((l) => ({ ...l }));
  const seen = new Set<string>();
  receipt.forEach((r, i) => {
    const line = next.find((l) => l.sku === r.sku);
    if (!line)
      violations.push({ field: `lines[${i}].sku`, message: `${r.sku} is not on this purchase order` });
    if (seen.has(r.sku)) violations.push({ field: `lines[${i}].sku`, message: "appears twice" });
    seen.add(r.sku);
    if (!Number.isSafeInteger(r.received) || r.received < 0)
      violations.push({ field: `lines[${i}].received`, message: "must be a non-negative integer" });
    if (!Number.isSafeInteger(r.rejected) || r.rejected < 0)
      violations.push({ field: `lines[${i}].rejected`, message: "must be a non-negative integer" });
    if (r.received + r.rejected === 0)
      violations.push({ field: `lines[${i}]`, message: "receives or rejects at least one unit" });
    if (line && r.received > line.quantity - line.received)
      violations.push({
        field: `lines[${i}].received`,
        message: `only ${line.quantity - line.received} of ${r.sku} outstanding`,
      });
    if (line) {
      line.received += r.received;
      line.rejected += r.rejected;
    }
  });
  if (violations.length > 0) throw errors.invalid("invalid receipt", violations);
  const complete = next.every((l) => l.received === l.quantity);
  return { lines: next, status: complete ? "received" : "partially_received" };
}

/** Sum of quantity × unit cost in rupiah. */
export function totalCost(lines: readonly Pick<PurchaseOrderLine, "quantity" | "unitCost">[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.unitCost, 0);
}
