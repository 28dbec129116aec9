-- Payments of checkouts, their allocations to orders, refunds, provider notifications and a
-- double-entry ledger. Amounts are whole rupiah.

CREATE TABLE payments (
  id text PRIMARY KEY,
  checkout_id text NOT NULL UNIQUE,
  payer_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  method text NOT NULL,
  channel text NOT NULL,
  status text NOT NULL,
  status_reason text NOT NULL DEFAULT '',
  provider text NOT NULL,
  provider_reference text NOT NULL,
  instructions jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  captured bigint NOT NULL DEFAULT 0,
  refunded bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  paid_at timestamptz,
  -- The backstop of the refund rule: never more back than was taken.
  CONSTRAINT payments_refund_within_capture CHECK (refunded >= 0 AND refunded <= captured),
  CONSTRAINT payments_capture_is_amount CHECK (captured IN (0, amount))
);
CREATE INDEX payments_payer ON payments (payer_id, created_at DESC);

CREATE TABLE payment_allocations (
  payment_id text NOT NULL REFERENCES payments (id),
  order_id text NOT NULL,
  shop_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  commission bigint NOT NULL CHECK (commission >= 0 AND commission <= amount),
  position int NOT NULL,
  PRIMARY KEY (payment_id, order_id)
);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments (id),
  order_id text NOT NULL DEFAULT '',
  amount bigint NOT NULL CHECK (amount > 0),
  reason text NOT NULL,
  status text NOT NULL,
  automatic boolean NOT NULL DEFAULT false,
  provider_reference text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_payment ON refunds (payment_id, created_at);

-- Every notification a provider sent that passed verification, once per (provider, id).
CREATE TABLE provider_notifications (
  provider text NOT NULL,
  notification_id text NOT NULL,
  payment_id text NOT NULL,
  event text NOT NULL,
  amount bigint NOT NULL,
  -- What it did: captured, failed, refunded_late, ignored, amount_mismatch, unknown_payment.
  outcome text NOT NULL,
  body jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, notification_id)
);
CREATE INDEX provider_notifications_received ON provider_notifications (received_at);
CREATE INDEX provider_notifications_payment ON provider_notifications (payment_id);

-- Signatures already accepted: the same signed request sent again is a replay.
CREATE TABLE webhook_signatures (
  signature text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_signatures_received ON webhook_signatures (received_at);

CREATE TABLE ledger_transactions (
  id bigserial PRIMARY KEY,
  payment_id text NOT NULL REFERENCES payments (id),
  -- capture, refund, late_capture, late_refund, cod_settlement.
  kind text NOT NULL,
  reference text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_transactions_payment ON ledger_transactions (payment_id);
CREATE INDEX ledger_transactions_created ON ledger_transactions (created_at);

-- Debits are positive, credits negative; each transaction's postings sum to zero.
CREATE TABLE ledger_postings (
  id bigserial PRIMARY KEY,
  transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
  account text NOT NULL,
  amount bigint NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ledger_postings_transaction ON ledger_postings (transaction_id);
CREATE INDEX ledger_postings_account ON ledger_postings (account);

-- Checked at commit (deferred), once every posting of the transaction is in.
CREATE FUNCTION ledger_transaction_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  net numeric;
BEGIN
  SELECT coalesce(sum(amount), 0) INTO net FROM ledger_postings WHERE transaction_id = NEW.transaction_id;
  IF net <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance (net %)', NEW.transaction_id, net
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_postings_balanced';
  END IF;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_postings_balanced
  AFTER INSERT ON ledger_postings DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balances();

-- The ledger is append-only: a correction is a new transaction.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only' USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- The built-in sandbox provider's own records (a real provider keeps these on its side).
CREATE TABLE sandbox_charges (
  payment_id text PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  method text NOT NULL,
  channel text NOT NULL,
  amount bigint NOT NULL,
  instructions jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  -- card, three_ds, confirm, done.
  step text NOT NULL,
  card text NOT NULL DEFAULT '',
  -- success or failure once the payer acted; empty before.
  outcome text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Notifications the sandbox owes Toko's webhook; retried with backoff until delivered.
CREATE TABLE sandbox_deliveries (
  id bigserial PRIMARY KEY,
  notification_id text NOT NULL UNIQUE,
  payment_id text NOT NULL,
  body text NOT NULL,
  -- pending, delivered, abandoned.
  status text NOT NULL DEFAULT 'pending',
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX sandbox_deliveries_due ON sandbox_deliveries (next_attempt_at) WHERE status = 'pending';
