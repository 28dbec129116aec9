-- One reservation per checkout. A `released` row without lines is a tombstone: Release came
-- before Reserve (a crashed saga), so a late Reserve must not hold stock.
CREATE TABLE reservations (
  checkout_id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired')),
  -- Canonical form of the requested lines: a retry must ask for the same thing.
  request_key text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reservation_allocations (
  checkout_id text NOT NULL REFERENCES reservations (checkout_id),
  shop_id text NOT NULL,
  sku text NOT NULL,
  warehouse_id text NOT NULL REFERENCES warehouses (id),
  quantity bigint NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (checkout_id, warehouse_id, sku)
);
