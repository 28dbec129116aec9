-- Timers are claimed in batches: a runner sets `claim` (its batch) and moves `due_at` to the end
-- of its lease, renewed while it works, so the handler runs with no transaction open and a runner
-- that dies mid-batch leaves its timers to fire again once the lease ends. `attempts` counts
-- claims; past the runner's limit the timer moves to kit_dead_letters (group "timer:<kind>").
ALTER TABLE kit_timers ADD COLUMN claim uuid;
