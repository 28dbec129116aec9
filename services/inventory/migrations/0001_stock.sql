-- Warehouses per shop; exactly one default per shop once it has any.
CREATE TABLE warehouses (
  id text PRIMARY KEY,
  shop_id text NOT NULL,
  name text NOT NULL,
  address text NOT NULL,
  city text NOT NULL,
  province text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX warehouses_shop ON warehouses (shop_id, created_at);
CREATE UNIQUE INDEX warehouses_one_default ON warehouses (shop_id) WHERE is_default;

-- Current stock per SKU per warehouse: a cache of the ledger's sums kept in the same
-- transaction as every ledger row. The CHECKs are the last line of defence against oversell.
CREATE TABLE stock_levels (
  warehouse_id text NOT NULL REFERENCES warehouses (id),
  sku text NOT NULL,
  shop_id text NOT NULL,
  on_hand bigint NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (warehouse_id, sku)
);
CREATE INDEX stock_levels_shop_sku ON stock_levels (shop_id, sku);

-- Append-only: every change of on_hand or reserved is one row here.
CREATE TABLE stock_ledger (
  id bigserial PRIMARY KEY,
  shop_id text NOT NULL,
  warehouse_id text NOT NULL REFERENCES warehouses (id),
  sku text NOT NULL,
  on_hand_delta bigint NOT NULL,
  reserved_delta bigint NOT NULL,
  reason text NOT NULL CHECK (reason IN
    ('adjustment', 'reservation', 'commit', 'release', 'transfer', 'receipt', 'return')),
  actor text NOT NULL,
  reference text NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (on_hand_delta <> 0 OR reserved_delta <> 0)
);
CREATE INDEX stock_ledger_sku ON stock_ledger (shop_id, sku, id DESC);
CREATE RULE stock_ledger_no_update AS ON UPDATE TO stock_ledger DO INSTEAD NOTHING;
CREATE RULE stock_ledger_no_delete AS ON DELETE TO stock_ledger DO INSTEAD NOTHING;

-- Reorder points per shop SKU; `low` remembers the last side of the line so LowStock fires
-- on the crossing, not on every change below it.
CREATE TABLE reorder_points (
  shop_id text NOT NULL,
  sku text NOT NULL,
  reorder_point bigint NOT NULL CHECK (reorder_point >= 0),
  low boolean NOT NULL DEFAULT false,
  PRIMARY KEY (shop_id, sku)
);

CREATE TABLE transfers (
  id text PRIMARY KEY,
  shop_id text NOT NULL,
  sku text NOT NULL,
  from_warehouse_id text NOT NULL REFERENCES warehouses (id),
  to_warehouse_id text NOT NULL REFERENCES warehouses (id),
  quantity bigint NOT NULL CHECK (quantity > 0),
  status text NOT NULL CHECK (status IN ('in_transit', 'received')),
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  received_at timestamptz
);
CREATE INDEX transfers_shop ON transfers (shop_id, created_at DESC);

-- SKUs whose quantities changed since the last StockChanged: written in the changing
-- transaction, drained by the coalescing publisher (one event per SKU per window).
CREATE TABLE stock_dirty (
  shop_id text NOT NULL,
  sku text NOT NULL,
  PRIMARY KEY (shop_id, sku)
);
