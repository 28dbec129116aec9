-- Durable timers: "at due_at, run the handler of `kind` for aggregate `key`". One row per
-- (kind, key); the runner deletes it in the transaction that runs the handler.
CREATE TABLE kit_timers (
  kind text NOT NULL,
  key text NOT NULL,
  -- Changes on every (re)schedule, so firing an old version never deletes a newer one.
  version uuid NOT NULL,
  due_at timestamptz NOT NULL,
  payload jsonb NOT NULL DEFAULT 'null',
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);
CREATE INDEX kit_timers_due ON kit_timers (due_at);
