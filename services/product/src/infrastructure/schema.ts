import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** The product database, as Kysely sees it (kept in step with migrations/). */
export interface ProductDatabase {
  categories: {
    id: Generated<number>;
    parent_id: number | null;
    slug: string;
    name: string;
    position: number;
  };
  shops: {
    id: string;
    owner_id: string;
    slug: string;
    name: string;
    city: string;
    province: string;
    description: string;
    status: string;
    seller_role_granted: Generated<boolean>;
    rating_sum: Generated<number>;
    rating_count: Generated<number>;
    created_at: Timestamp;
  };
  products: {
    id: string;
    shop_id: string;
    category_id: number;
    title: string;
    description: string;
    condition: string;
    weight_grams: number;
    length_cm: number;
    width_cm: number;
    height_cm: number;
    min_order: number;
    images: string[];
    attributes: ColumnType<unknown, string, string>;
    status: string;
    rating_sum: Generated<number>;
    rating_count: Generated<number>;
    sold_count: Generated<number>;
    created_at: Timestamp;
    updated_at: Timestamp;
    archived_at: Date | null;
  };
  variants: {
    id: string;
    product_id: string;
    shop_id: string;
    sku: string;
    options: ColumnType<unknown, string, string>;
    base_price: number;
    current_price: number;
    current_schedule_id: string | null;
    stock_status: Generated<string>;
    position: number;
    active: Generated<boolean>;
    stock_observed_at: Date | null;
  };
  price_schedules: {
    id: string;
    product_id: string;
    variant_id: string;
    price: number | null;
    percent_off: number | null;
    starts_at: Timestamp;
    ends_at: Date | null;
    created_at: Timestamp;
  };
  price_history: {
    id: Generated<number>;
    product_id: string;
    variant_id: string;
    price: number;
    previous_price: number | null;
    reason: string;
    schedule_id: string | null;
    changed_at: Timestamp;
  };
  purchased_lines: {
    order_id: string;
    line_id: string;
    buyer_id: string;
    shop_id: string;
    product_id: string;
    variant_id: string;
    quantity: number;
    completed_at: Timestamp;
    review_id: string | null;
  };
  reviews: {
    id: string;
    product_id: string;
    shop_id: string;
    buyer_id: string;
    order_id: string;
    line_id: string;
    rating: number;
    text: string;
    variant_label: string;
    created_at: Timestamp;
  };
}
