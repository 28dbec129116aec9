-- Transactional outbox: events are written in the same transaction as the state change they
-- describe and delivered to the bus by the relay (packages/kit/src/events/relay.ts).
CREATE TABLE kit_outbox (
  id bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  type text NOT NULL,
  subject text NOT NULL,
  envelope bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
-- The relay reads undelivered rows in id order; delivered rows wait only for pruning.
CREATE INDEX kit_outbox_pending ON kit_outbox (id) WHERE delivered_at IS NULL;
CREATE INDEX kit_outbox_delivered ON kit_outbox (delivered_at) WHERE delivered_at IS NOT NULL;
