-- Checkouts: the saga state of one buyer's checkout, keyed by the buyer's idempotency key.
CREATE TABLE checkouts (
  id text PRIMARY KEY,
  buyer_id text NOT NULL,
  idempotency_key text NOT NULL,
  -- SHA-256 of the request: the same key with another request is refused.
  fingerprint text NOT NULL,
  -- PRICING, RESERVING, AWAITING_PAYMENT, PAID, CANCELLED, FAILED.
  status text NOT NULL,
  -- Why a checkout failed: { code, message, violations }.
  failure jsonb,
  payment_method text NOT NULL,
  payment_channel text NOT NULL,
  amount bigint NOT NULL DEFAULT 0,
  -- What inventory.Reserve holds: [{ shop_id, sku, quantity }].
  reserve_lines jsonb NOT NULL DEFAULT '[]',
  payment_id text,
  -- The payment as created (OrderPayment as JSON).
  payment jsonb,
  payment_status text,
  payment_expires_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (buyer_id, idempotency_key)
);

-- Orders: one per shop of a checkout. Lines and status history live with the order.
CREATE TABLE orders (
  id text PRIMARY KEY,
  checkout_id text NOT NULL REFERENCES checkouts (id),
  buyer_id text NOT NULL,
  shop_id text NOT NULL,
  shop_owner_id text NOT NULL,
  -- CREATED (inside the saga, not shown yet), then the public statuses.
  status text NOT NULL,
  cancel_reason text NOT NULL DEFAULT '',
  subtotal bigint NOT NULL,
  discount bigint NOT NULL,
  shipping bigint NOT NULL,
  service_fee bigint NOT NULL,
  total bigint NOT NULL,
  commission bigint NOT NULL,
  refunded bigint NOT NULL DEFAULT 0,
  voucher_codes jsonb NOT NULL,
  shipping_option_id text NOT NULL,
  origin jsonb NOT NULL,
  destination jsonb NOT NULL,
  parcel jsonb NOT NULL,
  lines jsonb NOT NULL,
  history jsonb NOT NULL,
  shipment jsonb,
  payment_method text NOT NULL,
  paid_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX orders_checkout ON orders (checkout_id);
CREATE INDEX orders_buyer ON orders (buyer_id, id DESC);
CREATE INDEX orders_shop ON orders (shop_id, id DESC);
CREATE INDEX orders_shipment ON orders ((shipment ->> 'shipment_id'));

-- Returns: the buyer's request after delivery and the seller's handling of it.
CREATE TABLE returns (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  buyer_id text NOT NULL,
  shop_id text NOT NULL,
  -- REQUESTED, APPROVED, REJECTED, RECEIVED, REFUNDED.
  status text NOT NULL,
  lines jsonb NOT NULL,
  reason text NOT NULL,
  rejection_reason text NOT NULL DEFAULT '',
  refund_amount bigint NOT NULL DEFAULT 0,
  shipment_id text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX returns_order ON returns (order_id);

-- What a completed order pays its shop: the order's total less refunds and the commission.
CREATE TABLE payouts (
  order_id text PRIMARY KEY REFERENCES orders (id),
  shop_id text NOT NULL,
  gross bigint NOT NULL,
  commission bigint NOT NULL,
  net bigint NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX payouts_shop ON payouts (shop_id, created_at DESC);

-- The platform commission per product category, in basis points; others use the default.
CREATE TABLE commission_rates (
  category_id text PRIMARY KEY,
  rate_bps integer NOT NULL CHECK (rate_bps BETWEEN 0 AND 10000)
);
