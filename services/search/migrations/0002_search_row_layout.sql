-- search_products rebuilt for the query path (docs/decisions/0007, "Row layout and order").
--
-- A search reads every matching row: its ranking signals, facet columns and `document`. Three
-- changes make that read cheaper without changing a result:
-- - Column order: PostgreSQL walks a row's columns from the first to the last one needed. The
--   fixed-width columns a search reads come first, then the short texts it reads, then
--   `document`; the display columns, read for a page's rows alone, come last.
-- - The time-independent parts of the relevance score are stored (generated, so every writer
--   keeps them right): `quality` and `sales_log` (domain/ranking.ts), and `created_epoch` for
--   recency. Computing them for every match took about a fifth of a broad search.
-- - Physical order by category: a query's matches mostly share a few categories, so they sit on
--   a few pages instead of most of the table (100,000 products, "handphone": 685 pages read
--   instead of 4,425). Rows are written here in that order; fillfactor leaves room on each page
--   so that updates (stock, sales, ratings) stay on their page; the reindex restores the order
--   (CLUSTER on search_products_category_best) after products were added.
ALTER TABLE search_variants DROP CONSTRAINT search_variants_product_id_fkey;
ALTER TABLE search_products RENAME TO search_products_0001;
ALTER INDEX search_products_pkey RENAME TO search_products_0001_pkey;
DROP INDEX search_products_document;
DROP INDEX search_products_category_path;
DROP INDEX search_products_title_trgm;
DROP INDEX search_products_best_sellers;
DROP INDEX search_products_category_best;
DROP INDEX search_products_shop;

CREATE TABLE search_products (
  -- Only active products are searched; drafts and archived ones stay as tombstones.
  active boolean NOT NULL,
  in_stock boolean NOT NULL DEFAULT true,
  -- The lowest price among the active variants, rupiah.
  price bigint NOT NULL,
  rating_avg double precision NOT NULL DEFAULT 0,
  rating_count bigint NOT NULL DEFAULT 0,
  -- Sold units as the catalog reported them, and as counted here from completed orders; the
  -- larger is shown (the catalog counts the same orders, so they are never added).
  catalog_sold bigint NOT NULL DEFAULT 0,
  orders_sold bigint NOT NULL DEFAULT 0,
  sold_count bigint GENERATED ALWAYS AS (GREATEST(catalog_sold, orders_sold)) STORED,
  -- Ranking signals (domain/ranking.ts): quality = (rating / 5) · count / (count + 10);
  -- ln(1 + sold), which popularity divides by ln(1 + saturation); creation time in epoch seconds.
  quality double precision GENERATED ALWAYS AS ((rating_avg / 5.0) * (rating_count::float8 / (rating_count + 10))) STORED,
  sales_log double precision GENERATED ALWAYS AS (ln(1 + GREATEST(catalog_sold, orders_sold)::float8)) STORED,
  created_epoch double precision GENERATED ALWAYS AS (date_part('epoch', created_at - '1970-01-01 00:00:00+00'::timestamptz)) STORED,
  created_at timestamptz NOT NULL,
  product_id text PRIMARY KEY,
  category_id text NOT NULL,
  category_name text NOT NULL DEFAULT '',
  city text NOT NULL DEFAULT '',
  -- lower(city), the filter's key.
  city_key text NOT NULL DEFAULT '',
  -- Category ids from the root to the product's own (subtree filter).
  category_path text[] NOT NULL,
  -- Weighted full text: A title, B brand and category names, D description.
  document tsvector NOT NULL,
  shop_id text NOT NULL,
  shop_name text NOT NULL DEFAULT '',
  shop_slug text NOT NULL DEFAULT '',
  title text NOT NULL,
  -- The title lowercased, accents removed, words separated by one space (suggestions, similarity).
  title_norm text NOT NULL,
  image_url text NOT NULL DEFAULT '',
  -- The catalog's updated_at of the state stored: an older event changes nothing.
  source_updated_at timestamptz NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 85);

INSERT INTO search_products (active, in_stock, price, rating_avg, rating_count, catalog_sold, orders_sold,
  created_at, product_id, category_id, category_name, city, city_key, category_path, document, shop_id,
  shop_name, shop_slug, title, title_norm, image_url, source_updated_at, indexed_at)
SELECT active, in_stock, price, rating_avg, rating_count, catalog_sold, orders_sold,
  created_at, product_id, category_id, category_name, city, city_key, category_path, document, shop_id,
  shop_name, shop_slug, title, title_norm, image_url, source_updated_at, indexed_at
FROM search_products_0001
ORDER BY category_id, sold_count DESC;
DROP TABLE search_products_0001;

CREATE INDEX search_products_document ON search_products USING gin (document) WHERE active;
CREATE INDEX search_products_category_path ON search_products USING gin (category_path) WHERE active;
CREATE INDEX search_products_title_trgm ON search_products USING gin (title_norm gin_trgm_ops) WHERE active;
CREATE INDEX search_products_best_sellers ON search_products (sold_count DESC, product_id DESC) WHERE active;
-- Not partial: it also gives the table its physical order (CLUSTER cannot use a partial index).
CREATE INDEX search_products_category_best ON search_products (category_id, sold_count DESC);
ALTER TABLE search_products CLUSTER ON search_products_category_best;
CREATE INDEX search_products_shop ON search_products (shop_id);
ALTER TABLE search_variants ADD CONSTRAINT search_variants_product_id_fkey
  FOREIGN KEY (product_id) REFERENCES search_products (product_id) ON DELETE CASCADE;
