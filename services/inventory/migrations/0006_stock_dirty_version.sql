-- A dirty mark carries a version that every writer bumps (ON CONFLICT DO UPDATE, which also
-- row-locks the mark until the writer commits). The publisher clears only the versions it read
-- and skips locked marks, so a change committed after it read the totals keeps its SKU dirty.
ALTER TABLE stock_dirty ADD COLUMN version bigint NOT NULL DEFAULT 1;
