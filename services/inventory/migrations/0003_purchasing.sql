CREATE TABLE suppliers (
  id text PRIMARY KEY,
  shop_id text NOT NULL,
  name text NOT NULL,
  email text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  contact_name text NOT NULL DEFAULT '',
  lead_time_days integer NOT NULL CHECK (lead_time_days >= 0),
  payment_terms_days integer NOT NULL DEFAULT 0 CHECK (payment_terms_days >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppliers_shop ON suppliers (shop_id, created_at);

CREATE TABLE purchase_orders (
  id text PRIMARY KEY,
  shop_id text NOT NULL,
  supplier_id text NOT NULL REFERENCES suppliers (id),
  warehouse_id text NOT NULL REFERENCES warehouses (id),
  status text NOT NULL CHECK (status IN
    ('draft', 'sent', 'partially_received', 'received', 'closed', 'cancelled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  expected_at timestamptz,
  -- When it became received, closed or cancelled.
  finished_at timestamptz,
  last_receipt_at timestamptz
);
CREATE INDEX purchase_orders_shop ON purchase_orders (shop_id, created_at DESC);
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id);

CREATE TABLE purchase_order_lines (
  purchase_order_id text NOT NULL REFERENCES purchase_orders (id),
  sku text NOT NULL,
  quantity bigint NOT NULL CHECK (quantity > 0),
  unit_cost bigint NOT NULL CHECK (unit_cost >= 0),
  received bigint NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= quantity),
  rejected bigint NOT NULL DEFAULT 0 CHECK (rejected >= 0),
  PRIMARY KEY (purchase_order_id, sku)
);

-- Each delivery booked against a purchase order (the scorecard's raw data).
CREATE TABLE purchase_order_receipts (
  id bigserial PRIMARY KEY,
  purchase_order_id text NOT NULL REFERENCES purchase_orders (id),
  sku text NOT NULL,
  received bigint NOT NULL CHECK (received >= 0),
  rejected bigint NOT NULL CHECK (rejected >= 0),
  received_at timestamptz NOT NULL,
  actor text NOT NULL
);
CREATE INDEX purchase_order_receipts_po ON purchase_order_receipts (purchase_order_id);
