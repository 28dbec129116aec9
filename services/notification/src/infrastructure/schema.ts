import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface NotificationDatabase {
  user_settings: { user_id: string; locale: string; updated_at: Timestamp };
  preferences: {
    user_id: string;
    channel: string;
    category: string;
    enabled: boolean;
    updated_at: Timestamp;
  };
  inbox: {
    id: string;
    user_id: string;
    category: string;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    dedup_key: string;
    read_at: Timestamp | null;
    created_at: Timestamp;
  };
  deliveries: {
    id: string;
    dedup_key: string;
    user_id: string;
    channel: string;
    category: string;
    kind: string;
    data: Json<unknown>;
    status: string;
    attempts: Generated<number>;
    last_error: string | null;
    address: string | null;
    provider_id: string | null;
    created_at: Timestamp;
    sent_at: Timestamp | null;
  };
  shop_messages: { id: string; shop_id: string; message: Json<unknown>; created_at: Timestamp };
  payer_messages: { id: string; payment_id: string; message: Json<unknown>; created_at: Timestamp };
  purchases: {
    order_id: string;
    line_id: string;
    buyer_id: string;
    product_id: string;
    completed_at: Timestamp;
  };
  campaigns: {
    id: string;
    name: string;
    category_id: string;
    within_days: number;
    channel: string;
    template: Json<unknown>;
    scheduled_at: Timestamp;
    rate_per_second: number;
    status: string;
    created_by: string;
    created_at: Timestamp;
  };
  campaign_recipients: {
    campaign_id: string;
    user_id: string;
    status: string;
    processed_at: Timestamp | null;
  };
  dev_mail: {
    id: string;
    to_address: string;
    subject: string;
    text_body: string;
    html_body: string;
    headers: Json<Record<string, string>>;
    sent_at: Timestamp;
  };
  sms_sandbox: { id: string; to_number: string; body: string; sent_at: Timestamp };
}
