-- Reserve is one statement on the hot path (infrastructure/pg-reserve.ts); keep its writes cheap.

-- Leave room on every page so a level's update stays a HOT update (no new index entries in
-- the primary key and the (shop_id, sku) index on each reservation, commit and release).
ALTER TABLE stock_levels SET (fillfactor = 70);

-- Every ledger row and allocation is written from a stock level locked in the same statement,
-- and that level's own foreign key already guarantees the warehouse; warehouses are never
-- deleted. These two checks only made every reservation of a shop take a KEY SHARE lock on the
-- same warehouse row (multixacts under concurrency).
ALTER TABLE stock_ledger DROP CONSTRAINT stock_ledger_warehouse_id_fkey;
ALTER TABLE reservation_allocations DROP CONSTRAINT reservation_allocations_warehouse_id_fkey;
