import type { ColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date, Date>;
type Bigint = ColumnType<number, number, number>;
type Json = ColumnType<unknown, string, string>;

/** The order database (migrations/). */
export interface OrderDatabase {
  checkouts: {
    id: string;
    buyer_id: string;
    idempotency_key: string;
    fingerprint: string;
    status: string;
    failure: Json | null;
    payment_method: string;
    payment_channel: string;
    amount: Bigint;
    reserve_lines: Json;
    payment_id: string | null;
    payment: Json | null;
    payment_status: string | null;
    payment_expires_at: Date | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  orders: {
    id: string;
    checkout_id: string;
    buyer_id: string;
    shop_id: string;
    shop_owner_id: string;
    status: string;
    cancel_reason: string;
    subtotal: Bigint;
    discount: Bigint;
    shipping: Bigint;
    service_fee: Bigint;
    total: Bigint;
    commission: Bigint;
    refunded: Bigint;
    voucher_codes: Json;
    shipping_option_id: string;
    origin: Json;
    destination: Json;
    parcel: Json;
    lines: Json;
    history: Json;
    shipment: Json | null;
    payment_method: string;
    paid_at: Date | null;
    delivered_at: Date | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  returns: {
    id: string;
    order_id: string;
    buyer_id: string;
    shop_id: string;
    status: string;
    lines: Json;
    reason: string;
    rejection_reason: string;
    refund_amount: Bigint;
    shipment_id: string;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  payouts: {
    order_id: string;
    shop_id: string;
    gross: Bigint;
    commission: Bigint;
    net: Bigint;
    created_at: Timestamp;
  };
  commission_rates: {
    category_id: string;
    rate_bps: number;
  };
}
