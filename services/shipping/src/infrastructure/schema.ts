import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** The shipping database, as Kysely sees it (kept in step with migrations/). */
export interface ShippingDatabase {
  shipments: {
    id: string;
    kind: string;
    reference: string;
    order_id: string;
    return_id: string | null;
    buyer_id: string;
    shop_id: string;
    shop_owner_id: string;
    option_id: string;
    carrier_code: string;
    carrier: string;
    service: string;
    awb: string;
    status: string;
    status_at: Date | null;
    price: ColumnType<number, number, number>;
    chargeable_grams: number;
    weight_grams: number;
    length_cm: number;
    width_cm: number;
    height_cm: number;
    origin: ColumnType<unknown, string, string>;
    destination: ColumnType<unknown, string, string>;
    origin_city_id: string;
    origin_city: string;
    origin_province: string;
    destination_city_id: string;
    destination_city: string;
    destination_province: string;
    etd_min_days: number;
    etd_max_days: number;
    pickup_start: Timestamp;
    pickup_end: Timestamp;
    delivery_start: Date | null;
    delivery_end: Date | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  tracking_events: {
    id: Generated<number>;
    shipment_id: string;
    carrier_code: string;
    event_id: string;
    status: string;
    occurred_at: Timestamp;
    location: string;
    description: string;
    source: string;
    received_at: Timestamp;
  };
}
