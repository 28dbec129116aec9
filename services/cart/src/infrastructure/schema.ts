import type { ColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date, Date>;
type Bigint = ColumnType<number, number, number>;

/** The cart database (migrations/). */
export interface CartDatabase {
  carts: {
    id: string;
    owner_id: string | null;
    token_hash: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
    /** Raised by every change to the cart's lines or vouchers (migrations/0002). */
    version: ColumnType<number, number | undefined, number>;
  };
  cart_lines: {
    cart_id: string;
    variant_id: string;
    quantity: number;
    price_when_added: Bigint;
    added_at: Timestamp;
  };
  catalog_variants: {
    variant_id: string;
    product_id: string;
    shop_id: string;
    sku: string;
    title: string;
    options: ColumnType<unknown, string, string>;
    image_url: string;
    price: Bigint;
    product_status: string;
    active: boolean;
    stock_badge: string;
    weight_grams: number;
    length_cm: number;
    width_cm: number;
    height_cm: number;
    min_order: number;
    synced_at: Timestamp;
  };
  catalog_version: {
    only_row: boolean;
    version: Bigint;
  };
  catalog_shops: {
    shop_id: string;
    name: string;
    city: string;
    province: string;
    synced_at: Timestamp;
  };
  stock_levels: {
    shop_id: string;
    sku_key: string;
    available: Bigint;
    reorder_point: Bigint;
    observed_at: Timestamp;
  };
  vouchers: {
    id: string;
    code: string;
    scope: string;
    shop_id: string | null;
    kind: string;
    percent_off: number;
    amount: Bigint;
    max_discount: Bigint | null;
    min_spend: Bigint;
    starts_at: Timestamp;
    ends_at: Timestamp;
    total_limit: number | null;
    per_user_limit: number | null;
    created_by: string;
    created_at: Timestamp;
  };
  cart_vouchers: {
    cart_id: string;
    voucher_id: string;
    applied_at: Timestamp;
  };
  voucher_uses: {
    voucher_id: string;
    checkout_id: string;
    user_id: string;
    status: string;
    open_shops: string[];
    expires_at: Timestamp;
    created_at: Timestamp;
  };
}
