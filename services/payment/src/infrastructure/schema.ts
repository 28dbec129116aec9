import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint columns: the kit's pool parses int8 as number. */
type Big = ColumnType<number, number, number>;

/** The payment database, as Kysely sees it (kept in step with migrations/). */
export interface PaymentDatabase {
  payments: {
    id: string;
    checkout_id: string;
    payer_id: string;
    amount: Big;
    method: string;
    channel: string;
    status: string;
    status_reason: string;
    provider: string;
    provider_reference: string;
    instructions: ColumnType<unknown, string, string>;
    expires_at: Timestamp;
    captured: ColumnType<number, number | undefined, number>;
    refunded: ColumnType<number, number | undefined, number>;
    created_at: Timestamp;
    paid_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  payment_allocations: {
    payment_id: string;
    order_id: string;
    shop_id: string;
    amount: Big;
    commission: Big;
    position: number;
  };
  refunds: {
    id: string;
    payment_id: string;
    order_id: string;
    amount: Big;
    reason: string;
    status: string;
    automatic: boolean;
    provider_reference: string;
    created_at: Timestamp;
  };
  provider_notifications: {
    provider: string;
    notification_id: string;
    payment_id: string;
    event: string;
    amount: Big;
    outcome: string;
    body: ColumnType<unknown, string, string>;
    received_at: Generated<Date>;
  };
  webhook_signatures: { signature: string; received_at: Generated<Date> };
  ledger_transactions: {
    id: Generated<number>;
    payment_id: string;
    kind: string;
    reference: string;
    created_at: Generated<Date>;
  };
  ledger_postings: { id: Generated<number>; transaction_id: number; account: string; amount: Big };
  sandbox_charges: {
    payment_id: string;
    reference: string;
    method: string;
    channel: string;
    amount: Big;
    instructions: ColumnType<unknown, string, string>;
    expires_at: Timestamp;
    step: string;
    card: Generated<string>;
    outcome: Generated<string>;
    created_at: Generated<Date>;
  };
  sandbox_deliveries: {
    id: Generated<number>;
    notification_id: string;
    payment_id: string;
    body: string;
    status: Generated<string>;
    attempts: Generated<number>;
    next_attempt_at: Generated<Date>;
    last_error: Generated<string>;
    created_at: Generated<Date>;
    delivered_at: Date | null;
  };
}
