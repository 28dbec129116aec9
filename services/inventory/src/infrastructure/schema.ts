import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Count = ColumnType<number, number | undefined, number>;

/** The inventory database as Kysely sees it (migrations/*.sql are the source of truth). */
export interface InventoryDb {
  warehouses: {
    id: string;
    shop_id: string;
    name: string;
    address: string;
    city: string;
    province: string;
    is_default: boolean;
    created_at: Timestamp;
  };
  stock_levels: {
    warehouse_id: string;
    sku: string;
    shop_id: string;
    on_hand: Count;
    reserved: Count;
    updated_at: Timestamp;
  };
  stock_ledger: {
    id: Generated<number>;
    shop_id: string;
    warehouse_id: string;
    sku: string;
    on_hand_delta: number;
    reserved_delta: number;
    reason: string;
    actor: string;
    reference: string;
    note: string;
    created_at: Timestamp;
  };
  stock_dirty: { shop_id: string; sku: string; version: Count };
  reorder_points: {
    shop_id: string;
    sku: string;
    reorder_point: number;
    low: ColumnType<boolean, boolean | undefined, boolean>;
  };
  transfers: {
    id: string;
    shop_id: string;
    sku: string;
    from_warehouse_id: string;
    to_warehouse_id: string;
    quantity: number;
    status: string;
    actor: string;
    created_at: Timestamp;
    received_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  };
  reservations: {
    checkout_id: string;
    status: string;
    request_key: string;
    expires_at: Timestamp;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  reservation_allocations: {
    checkout_id: string;
    shop_id: string;
    sku: string;
    warehouse_id: string;
    quantity: number;
  };
  suppliers: {
    id: string;
    shop_id: string;
    name: string;
    email: string;
    phone: string;
    contact_name: string;
    lead_time_days: number;
    payment_terms_days: number;
    created_at: Timestamp;
  };
  purchase_orders: {
    id: string;
    shop_id: string;
    supplier_id: string;
    warehouse_id: string;
    status: string;
    created_at: Timestamp;
    sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    expected_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
    last_receipt_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  };
  purchase_order_lines: {
    purchase_order_id: string;
    sku: string;
    quantity: number;
    unit_cost: number;
    received: Count;
    rejected: Count;
  };
  idempotent_writes: {
    shop_id: string;
    operation: string;
    key: string;
    fingerprint: string;
    response: unknown;
    created_at: Timestamp;
  };
  purchase_order_receipts: {
    id: Generated<number>;
    purchase_order_id: string;
    sku: string;
    received: number;
    rejected: number;
    received_at: Date | string;
    actor: string;
  };
}
