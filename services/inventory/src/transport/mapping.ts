import {
  type LedgerEntry,
  type PurchaseOrder as PurchaseOrderMessage,
  PurchaseOrderStatus,
  type Reservation as ReservationMessage,
  ReservationStatus,
  type StockLevel,
  type Supplier,
  type Transfer as TransferMessage,
  TransferStatus,
  type Warehouse,
} from "@toko/contracts/toko/inventory/v1/inventory";
import type { ReservationView } from "../application/reservations.ts";

const rupiah = (amount: number) => ({ amount, currency: "IDR" });

export function toWarehouse(w: {
  id: string;
  shop_id: string;
  name: string;
  address: string;
  city: string;
  province: string;
  is_default: boolean;
  created_at: Date;
}): Warehouse {
  return {
    id: w.id,
    shopId: w.shop_id,
    name: w.name,
    address: w.address,
    city: w.city,
    province: w.province,
    isDefault: w.is_default,
    createdAt: w.created_at,
  };
}

export function toLevel(l: {
  sku: string;
  warehouse_id: string;
  on_hand: number;
  reserved: number;
  reorder_point?: number | null;
}): StockLevel {
  return {
    sku: l.sku,
    warehouseId: l.warehouse_id,
    onHand: l.on_hand,
    reserved: l.reserved,
    available: l.on_hand - l.reserved,
    reorderPoint: l.reorder_point ?? 0,
  };
}

export function toTransfer(t: {
  id: string;
  sku: string;
  from_warehouse_id: string;
  to_warehouse_id: string;
  quantity: number;
  status: string;
  created_at: Date;
  received_at: Date | null;
}): TransferMessage {
  return {
    id: t.id,
    sku: t.sku,
    fromWarehouseId: t.from_warehouse_id,
    toWarehouseId: t.to_warehouse_id,
    quantity: t.quantity,
    status:
      t.status === "received"
        ? TransferStatus.TRANSFER_STATUS_RECEIVED
        : TransferStatus.TRANSFER_STATUS_IN_TRANSIT,
    createdAt: t.created_at,
    receivedAt: t.received_at ?? undefined,
  };
}

export function toLedgerEntry(e: {
  id: number;
  sku: string;
  warehouse_id: string;
  on_hand_delta: number;
  reserved_delta: number;
  reason: string;
  actor: string;
  reference: string;
  note: string;
  created_at: Date;
}): LedgerEntry {
  return {
    id: String(e.id),
    sku: e.sku,
    warehouseId: e.warehouse_id,
    onHandDelta: e.on_hand_delta,
    reservedDelta: e.reserved_delta,
    reason: e.reason,
    actor: e.actor,
    reference: e.reference,
    note: e.note,
    createdAt: e.created_at,
  };
}

export function toSupplier(s: {
  id: string;
  name: string;
  email: string;
  phone: string;
  contact_name: string;
  lead_time_days: number;
  payment_terms_days: number;
  created_at: Date;
}): Supplier {
  return {
    id: s.id,
    name: s.name,
    email: s.email,
    phone: s.phone,
    contactName: s.contact_name,
    leadTimeDays: s.lead_time_days,
    paymentTermsDays: s.payment_terms_days,
    createdAt: s.created_at,
  };
}

const poStatus: Record<string, PurchaseOrderStatus> = {
  draft: PurchaseOrderStatus.PURCHASE_ORDER_STATUS_DRAFT,
  sent: PurchaseOrderStatus.PURCHASE_ORDER_STATUS_SENT,
  partially_received: PurchaseOrderStatus.PURCHASE_ORDER_STATUS_PARTIALLY_RECEIVED,
  received: PurchaseOrderStatus.PURCHASE_ORDER_STATUS_RECEIVED,
  closed: PurchaseOrderStatus.PURCHASE_ORDER_STATUS_CLOSED,
  cancelled: PurchaseOrderStatus.PURCHASE_ORDER_STATUS_CANCELLED,
};

export function toPurchaseOrder(po: {
  id: string;
  supplier_id: string;
  warehouse_id: string;
  status: string;
  created_at: Date;
  sent_at: Date | null;
  expected_at: Date | null;
  finished_at: Date | null;
  lines: { sku: string; quantity: number; unit_cost: number; received: number; rejected: number }[];
}): PurchaseOrderMessage {
  return {
    id: po.id,
    supplierId: po.supplier_id,
    warehouseId: po.warehouse_id,
    status: poStatus[po.status] ?? PurchaseOrderStatus.PURCHASE_ORDER_STATUS_UNSPECIFIED,
    lines: po.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitCost: rupiah(l.unit_cost),
      received: l.received,
      rejected: l.rejected,
    })),
    totalCost: rupiah(po.lines.reduce((s, l) => s + l.quantity * l.unit_cost, 0)),
    createdAt: po.created_at,
    sentAt: po.sent_at ?? undefined,
    expectedAt: po.expected_at ?? undefined,
    finishedAt: po.finished_at ?? undefined,
  };
}

const reservationStatus = {
  held: ReservationStatus.RESERVATION_STATUS_HELD,
  committed: ReservationStatus.RESERVATION_STATUS_COMMITTED,
  released: ReservationStatus.RESERVATION_STATUS_RELEASED,
  expired: ReservationStatus.RESERVATION_STATUS_EXPIRED,
} as const;

export function toReservation(r: ReservationView): ReservationMessage {
  return {
    checkoutId: r.checkoutId,
    status: reservationStatus[r.status],
    lines: r.lines,
    allocations: r.allocations,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
  };
}
