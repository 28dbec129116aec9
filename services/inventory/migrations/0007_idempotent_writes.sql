-- Stock writes a client may retry (adjustments, transfers, purchase-order receipts) carry an
-- idempotency key. The key is claimed in the write's own transaction and the first response is
-- stored with it, so a retry that reaches the service again (through another gateway replica,
-- after a gateway restart) changes nothing and answers the same.
CREATE TABLE idempotent_writes (
  shop_id text NOT NULL,
  operation text NOT NULL,
  key text NOT NULL,
  -- sha256 of the request without the key: the same key with another request is refused.
  fingerprint text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, operation, key)
);
-- Retention prunes by age.
CREATE INDEX idempotent_writes_created ON idempotent_writes (created_at);
-- Retention prunes finished reservations by age.
CREATE INDEX reservations_finished ON reservations (updated_at) WHERE status <> 'held';
