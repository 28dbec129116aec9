import {
  type PurchaseOrder,
  purchaseOrderStatusToJSON,
  type StockLevel,
  type Supplier,
  type Transfer,
  TransferStatus,
  type Warehouse,
} from "@toko/contracts/toko/inventory/v1/inventory";

const iso = (d: Date | undefined) => d?.toISOString() ?? null;
const orNull = (s: string) => (s === "" ? null : s);

export const warehouseJson = (w: Warehouse) => ({
  id: w.id,
  name: w.name,
  address: w.address,
  city: w.city,
  province: w.province,
  is_default: w.isDefault,
  created_at: iso(w.createdAt),
});

export const levelJson = (l: StockLevel) => ({
  sku: l.sku,
  warehouse_id: l.warehouseId,
  on_hand: l.onHand,
  reserved: l.reserved,
  available: l.available,
  reorder_point: l.reorderPoint,
});

export const transferJson = (t: Transfer) => ({
  id: t.id,
  sku: t.sku,
  from_warehouse_id: t.fromWarehouseId,
  to_warehouse_id: t.toWarehouseId,
  quantity: t.quantity,
  status: t.status === TransferStatus.TRANSFER_STATUS_RECEIVED ? "received" : "in_transit",
  created_at: iso(t.createdAt),
  received_at: iso(t.receivedAt),
});

export const supplierJson = (s: Supplier) => ({
  id: s.id,
  name: s.name,
  email: orNull(s.email),
  phone: orNull(s.phone),
  contact_name: orNull(s.contactName),
  lead_time_days: s.leadTimeDays,
  payment_terms_days: s.paymentTermsDays,
  created_at: iso(s.createdAt),
});

export function purchaseOrderJson(po: PurchaseOrder) {
  return {
    id: po.id,
    supplier_id: po.supplierId,
    warehouse_id: po.warehouseId,
    // PURCHASE_ORDER_STATUS_PARTIALLY_RECEIVED → partially_received
    status: purchaseOrderStatusToJSON(po.status).replace("PURCHASE_ORDER_STATUS_", "").toLowerCase(),
    lines: po.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unit_cost: { amount: l.unitCost?.amount ?? 0, currency: "IDR" as const },
      received: l.received,
      rejected: l.rejected,
    })),
    total_cost: { amount: po.totalCost?.amount ?? 0, currency: "IDR" as const },
    created_at: iso(po.createdAt),
    sent_at: iso(po.sentAt),
    expected_at: iso(po.expectedAt),
    finished_at: iso(po.finishedAt),
  };
}
