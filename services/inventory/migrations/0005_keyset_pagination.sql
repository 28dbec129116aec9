-- Lists page by keyset: each index matches its list's order so a page is one index range scan.
CREATE INDEX stock_levels_shop_sku_warehouse ON stock_levels (shop_id, sku, warehouse_id);
DROP INDEX stock_levels_shop_sku;
CREATE INDEX warehouses_shop_created ON warehouses (shop_id, created_at, id);
DROP INDEX warehouses_shop;
CREATE INDEX suppliers_shop_created ON suppliers (shop_id, created_at, id);
DROP INDEX suppliers_shop;
CREATE INDEX purchase_orders_shop_created ON purchase_orders (shop_id, created_at DESC, id DESC);
DROP INDEX purchase_orders_shop;
