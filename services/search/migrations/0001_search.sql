-- The search projection: one row per catalog product, kept current from product, inventory and
-- order events and rebuildable from the catalog (`npm run reindex -w @toko/search`).
-- pg_trgm: typo correction against the vocabulary, similar products; fuzzystrmatch: edit distance.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE search_products (
  product_id text PRIMARY KEY,
  shop_id text NOT NULL,
  shop_name text NOT NULL DEFAULT '',
  shop_slug text NOT NULL DEFAULT '',
  city text NOT NULL DEFAULT '',
  -- lower(city), the filter's key.
  city_key text NOT NULL DEFAULT '',
  title text NOT NULL,
  -- The title lowercased, accents removed, words separated by one space (suggestions, similarity).
  title_norm text NOT NULL,
  category_id text NOT NULL,
  category_name text NOT NULL DEFAULT '',
  -- Category ids from the root to the product's own (subtree filter).
  category_path text[] NOT NULL,
  image_url text NOT NULL DEFAULT '',
  -- The lowest price among the active variants, rupiah.
  price bigint NOT NULL,
  rating_avg double precision NOT NULL DEFAULT 0,
  rating_count bigint NOT NULL DEFAULT 0,
  -- Sold units as the catalog reported them, and as counted here from completed orders; the
  -- larger is shown (the catalog counts the same orders, so they are never added).
  catalog_sold bigint NOT NULL DEFAULT 0,
  orders_sold bigint NOT NULL DEFAULT 0,
  sold_count bigint GENERATED ALWAYS AS (GREATEST(catalog_sold, orders_sold)) STORED,
  in_stock boolean NOT NULL DEFAULT true,
  -- Only active products are searched; drafts and archived ones stay as tombstones.
  active boolean NOT NULL,
  -- Weighted full text: A title, B brand and category names, D description.
  document tsvector NOT NULL,
  created_at timestamptz NOT NULL,
  -- The catalog's updated_at of the state stored: an older event changes nothing.
  source_updated_at timestamptz NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_products_document ON search_products USING gin (document) WHERE active;
CREATE INDEX search_products_category_path ON search_products USING gin (category_path) WHERE active;
CREATE INDEX search_products_title_trgm ON search_products USING gin (title_norm gin_trgm_ops) WHERE active;
CREATE INDEX search_products_best_sellers ON search_products (sold_count DESC, product_id DESC) WHERE active;
CREATE INDEX search_products_category_best ON search_products (category_id, sold_count DESC) WHERE active;
CREATE INDEX search_products_shop ON search_products (shop_id);

-- A product's variants: its price is the lowest, its stock any variant's.
CREATE TABLE search_variants (
  variant_id text PRIMARY KEY,
  product_id text NOT NULL REFERENCES search_products (product_id) ON DELETE CASCADE,
  shop_id text NOT NULL,
  -- lower(sku): inventory names stock by shop and SKU.
  sku_key text NOT NULL,
  price bigint NOT NULL,
  price_at timestamptz NOT NULL,
  -- As the catalog last reported it ("in_stock", "low_stock", "out_of_stock", "unknown").
  stock_status text NOT NULL DEFAULT 'unknown'
);
CREATE INDEX search_variants_product ON search_variants (product_id);
CREATE INDEX search_variants_sku ON search_variants (shop_id, sku_key);

-- Available quantities from inventory's StockChanged (which may arrive before the product).
CREATE TABLE search_stock (
  shop_id text NOT NULL,
  sku_key text NOT NULL,
  available bigint NOT NULL,
  observed_at timestamptz NOT NULL,
  PRIMARY KEY (shop_id, sku_key)
);

-- Category names from product breadcrumbs (suggestions, facet labels).
CREATE TABLE search_categories (
  category_id text PRIMARY KEY,
  name text NOT NULL,
  name_norm text NOT NULL,
  parent_id text NOT NULL DEFAULT ''
);

-- Every indexed word: the typo correction looks a misspelt query word up here by trigrams.
CREATE TABLE search_words (
  word text COLLATE "C" PRIMARY KEY
);
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);

-- Groups of interchangeable words: a query word in a group also matches the others.
CREATE TABLE search_synonyms (
  id serial PRIMARY KEY,
  terms text[] NOT NULL
);
CREATE INDEX search_synonyms_terms ON search_synonyms USING gin (terms);
INSERT INTO search_synonyms (terms) VALUES
  ('{hp,handphone,smartphone,ponsel}'),
  ('{laptop,notebook}'),
  ('{lari,running}'),
  ('{sepatu,shoes,shoe}'),
  ('{kaos,tshirt,kaus}'),
  ('{tas,bag}'),
  ('{casing,case,softcase,hardcase}'),
  ('{charger,pengisi}'),
  ('{headset,headphone,earphone}'),
  ('{powerbank,power}'),
  ('{jam,watch}'),
  ('{celana,pants}'),
  ('{kemeja,shirt}'),
  ('{buku,book}'),
  ('{kabel,cable}');

-- Units each buyer bought per product (personal recommendations).
CREATE TABLE search_purchases (
  buyer_id text NOT NULL,
  product_id text NOT NULL,
  quantity bigint NOT NULL,
  last_at timestamptz NOT NULL,
  PRIMARY KEY (buyer_id, product_id)
);
CREATE INDEX search_purchases_recent ON search_purchases (buyer_id, last_at DESC);

-- Products of each completed checkout (orders of one checkout complete one by one).
CREATE TABLE search_checkout_products (
  checkout_id text NOT NULL,
  product_id text NOT NULL,
  completed_at timestamptz NOT NULL,
  PRIMARY KEY (checkout_id, product_id)
);

-- How many completed checkouts bought both products (both directions stored).
CREATE TABLE search_pairs (
  product_id text NOT NULL,
  other_id text NOT NULL,
  checkouts bigint NOT NULL,
  PRIMARY KEY (product_id, other_id)
);
CREATE INDEX search_pairs_top ON search_pairs (product_id, checkouts DESC);

-- Units sold per product from completed orders (kept even before the product is indexed).
CREATE TABLE search_sales (
  product_id text PRIMARY KEY,
  units bigint NOT NULL
);

-- Synonyms are words a typo may be corrected to ("lri" → "lari" → "running").
INSERT INTO search_words (word) SELECT DISTINCT unnest(terms) FROM search_synonyms ON CONFLICT DO NOTHING;
