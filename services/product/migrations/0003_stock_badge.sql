-- The stock badge per variant comes from inventory's StockChanged events. Events may arrive out
-- of order (redelivery, retries): the instant of the last applied one keeps an older event from
-- overwriting a newer state.
ALTER TABLE variants ADD COLUMN stock_observed_at timestamptz;
