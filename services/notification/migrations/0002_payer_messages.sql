-- Messages for the payer of a payment wait here until the payer is known (a timer asks the
-- payment service: payment events name the payment, not the person).
CREATE TABLE payer_messages (
  id         uuid PRIMARY KEY,
  payment_id text NOT NULL,
  message    jsonb NOT NULL,
  created_at timestamptz NOT NULL
);
