-- Every change to a cart's lines or applied vouchers raises its version in the same transaction
-- (the writes that lock the cart row raise it there). A write that read the cart first and then
-- writes "if still at version n" needs no transaction around the read.
ALTER TABLE carts ADD COLUMN version bigint NOT NULL DEFAULT 0;

-- The catalog projection's version: raised by every statement that writes variants, shops or
-- stock levels. A priced cart is valid for (cart id, cart version, catalog version) while the
-- cart has no vouchers (their usage and validity window change without either version).
CREATE TABLE catalog_version (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version bigint NOT NULL
);
INSERT INTO catalog_version (only_row, version) VALUES (true, 0);

-- BEFORE STATEMENT: the version row is locked before any catalog row, so catalog writers take
-- their locks in one order (no deadlock between two of them) and are serialized until commit.
CREATE FUNCTION raise_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_version SET version = version + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER catalog_variants_version BEFORE INSERT OR UPDATE OR DELETE ON catalog_variants
  FOR EACH STATEMENT EXECUTE FUNCTION raise_catalog_version();
CREATE TRIGGER catalog_shops_version BEFORE INSERT OR UPDATE OR DELETE ON catalog_shops
  FOR EACH STATEMENT EXECUTE FUNCTION raise_catalog_version();
CREATE TRIGGER stock_levels_version BEFORE INSERT OR UPDATE OR DELETE ON stock_levels
  FOR EACH STATEMENT EXECUTE FUNCTION raise_catalog_version();
