-- Short links. `id` orders a user's links (newest first) and makes their cursor; `code` is the
-- public key. Codes and aliases share one namespace that is unique case-insensitively.
CREATE TABLE links (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  url text NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2048),
  owner_id text NOT NULL,
  custom_alias boolean NOT NULL,
  expires_at timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX links_code_ci ON links (lower(code));
-- Listing a user's links and counting their creations in the last day (quota).
CREATE INDEX links_owner ON links (owner_id, id DESC);
CREATE INDEX links_owner_created ON links (owner_id, created_at);

-- Click statistics as daily aggregates: one row per link, UTC day, referrer host ('' for none)
-- and user-agent family. Reading stats touches a link's few rows; writing a batch is one upsert.
CREATE TABLE click_counts (
  link_id bigint NOT NULL REFERENCES links (id) ON DELETE CASCADE,
  day date NOT NULL,
  referrer_host text NOT NULL,
  user_agent_family text NOT NULL,
  clicks bigint NOT NULL CHECK (clicks > 0),
  PRIMARY KEY (link_id, day, referrer_host, user_agent_family)
);

-- Batches already counted, so a retried RecordClicks is counted once.
CREATE TABLE click_batches (
  batch_id text PRIMARY KEY,
  recorded integer NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX click_batches_processed_at ON click_batches (processed_at);
