-- Inbox: ids of events a consumer group has handled. The row commits with the handler's writes,
-- so a redelivered event finds it and is skipped.
CREATE TABLE kit_inbox (
  group_name text NOT NULL,
  event_id uuid NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_name, event_id)
);
CREATE INDEX kit_inbox_handled_at ON kit_inbox (handled_at);

-- Dead letters: events whose handler kept failing, with the last error. An operator redrives
-- one by setting status = 'redrive'; the consumer process then handles it again.
CREATE TABLE kit_dead_letters (
  id bigserial PRIMARY KEY,
  group_name text NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  subject text NOT NULL,
  envelope bytea NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  status text NOT NULL DEFAULT 'dead' CHECK (status IN ('dead', 'redrive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (group_name, event_id)
);
CREATE INDEX kit_dead_letters_redrive ON kit_dead_letters (id) WHERE status = 'redrive';
