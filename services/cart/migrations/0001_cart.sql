-- Carts: one per signed-in user (owner_id) or per guest (token_hash = SHA-256 of the cart token;
-- the token itself is never stored).
CREATE TABLE carts (
  id text PRIMARY KEY,
  owner_id text UNIQUE,
  token_hash text UNIQUE,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((owner_id IS NULL) <> (token_hash IS NULL))
);
CREATE INDEX carts_updated_at ON carts (updated_at);

CREATE TABLE cart_lines (
  cart_id text NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  variant_id text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  -- The price the buyer saw when adding or last editing the line (PRICE_CHANGED compares).
  price_when_added bigint NOT NULL,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (cart_id, variant_id)
);
CREATE INDEX cart_lines_variant ON cart_lines (variant_id);

-- Local projection of the catalog: fetched when a variant is first added, then kept fresh by
-- product events, so reading a cart never calls the product service.
CREATE TABLE catalog_variants (
  variant_id text PRIMARY KEY,
  product_id text NOT NULL,
  shop_id text NOT NULL,
  sku text NOT NULL,
  title text NOT NULL,
  options jsonb NOT NULL,
  image_url text NOT NULL,
  price bigint NOT NULL,
  product_status text NOT NULL,
  active boolean NOT NULL,
  stock_badge text NOT NULL,
  weight_grams integer NOT NULL,
  length_cm integer NOT NULL,
  width_cm integer NOT NULL,
  height_cm integer NOT NULL,
  min_order integer NOT NULL,
  synced_at timestamptz NOT NULL
);
CREATE INDEX catalog_variants_product ON catalog_variants (product_id);
CREATE INDEX catalog_variants_sku ON catalog_variants (shop_id, lower(sku));

CREATE TABLE catalog_shops (
  shop_id text PRIMARY KEY,
  name text NOT NULL,
  city text NOT NULL,
  province text NOT NULL,
  synced_at timestamptz NOT NULL
);

-- Available stock per shop SKU, from inventory's StockChanged (every SKU, so a variant added
-- later already knows its stock).
CREATE TABLE stock_levels (
  shop_id text NOT NULL,
  sku_key text NOT NULL,
  available bigint NOT NULL,
  reorder_point bigint NOT NULL,
  observed_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, sku_key)
);

CREATE TABLE vouchers (
  id text PRIMARY KEY,
  code text NOT NULL UNIQUE,
  scope text NOT NULL CHECK (scope IN ('platform', 'shop')),
  shop_id text,
  kind text NOT NULL CHECK (kind IN ('percent', 'fixed', 'free_shipping')),
  percent_off integer NOT NULL,
  amount bigint NOT NULL,
  max_discount bigint,
  min_spend bigint NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  total_limit integer,
  per_user_limit integer,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  CHECK ((scope = 'shop') = (shop_id IS NOT NULL))
);
CREATE INDEX vouchers_shop ON vouchers (shop_id, id);

CREATE TABLE cart_vouchers (
  cart_id text NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  voucher_id text NOT NULL REFERENCES vouchers (id),
  applied_at timestamptz NOT NULL,
  PRIMARY KEY (cart_id, voucher_id)
);

-- One use of a voucher by one checkout: 'held' until the order is paid ('redeemed') or the
-- hold expires; open_shops are the checkout's shops whose orders still carry it (a cancelled
-- order leaves; when none is left the use is given back, i.e. deleted).
CREATE TABLE voucher_uses (
  voucher_id text NOT NULL REFERENCES vouchers (id),
  checkout_id text NOT NULL,
  user_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('held', 'redeemed')),
  open_shops text[] NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (voucher_id, checkout_id)
);
CREATE INDEX voucher_uses_checkout ON voucher_uses (checkout_id);
CREATE INDEX voucher_uses_user ON voucher_uses (voucher_id, user_id);
CREATE INDEX voucher_uses_held ON voucher_uses (expires_at) WHERE status = 'held';
