-- The locale a user's messages are written in, and their channel × category choices (only the
-- ones that differ from the defaults are stored).
CREATE TABLE user_settings (
  user_id    text PRIMARY KEY,
  locale     text NOT NULL CHECK (locale IN ('id', 'en')),
  updated_at timestamptz NOT NULL
);

CREATE TABLE preferences (
  user_id    text NOT NULL,
  channel    text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
  category   text NOT NULL CHECK (category IN ('account', 'orders', 'seller', 'marketing')),
  enabled    boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, channel, category)
);

-- The in-app inbox. dedup_key = "<message key>/<recipient>/in_app": one item per message.
CREATE TABLE inbox (
  id         uuid PRIMARY KEY,
  user_id    text NOT NULL,
  category   text NOT NULL,
  kind       text NOT NULL,
  title      text NOT NULL,
  body       text NOT NULL,
  link       text,
  dedup_key  text NOT NULL UNIQUE,
  read_at    timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX inbox_user_newest ON inbox (user_id, id DESC);
CREATE INDEX inbox_user_unread ON inbox (user_id) WHERE read_at IS NULL;

-- Email and SMS deliveries (the delivery log). Each pending one has a kit timer of kind
-- "notification.deliver.<channel>" keyed by its id; attempts and the last error are written as
-- they happen. `data` is the template's input: secrets in it are sealed (never plain).
-- dedup_key = "<message key>/<recipient>/<channel>": one delivery per message and channel.
CREATE TABLE deliveries (
  id             uuid PRIMARY KEY,
  dedup_key      text NOT NULL UNIQUE,
  user_id        text NOT NULL,
  channel        text NOT NULL CHECK (channel IN ('email', 'sms')),
  category       text NOT NULL,
  kind           text NOT NULL,
  data           jsonb NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text,
  -- Where it went (the address or number used) and the provider's id, once sent.
  address        text,
  provider_id    text,
  created_at     timestamptz NOT NULL,
  sent_at        timestamptz
);
CREATE INDEX deliveries_user ON deliveries (user_id, created_at DESC);
CREATE INDEX deliveries_pending ON deliveries (created_at) WHERE status = 'pending';

-- Messages for a shop wait here until its owner is known (a timer asks the product service).
CREATE TABLE shop_messages (
  id         uuid PRIMARY KEY,
  shop_id    text NOT NULL,
  message    jsonb NOT NULL,
  created_at timestamptz NOT NULL
);

-- What buyers bought (from OrderCompleted), for campaign segments.
CREATE TABLE purchases (
  order_id     text NOT NULL,
  line_id      text NOT NULL,
  buyer_id     text NOT NULL,
  product_id   text NOT NULL,
  completed_at timestamptz NOT NULL,
  PRIMARY KEY (order_id, line_id)
);
CREATE INDEX purchases_completed ON purchases (completed_at);

CREATE TABLE campaigns (
  id              uuid PRIMARY KEY,
  name            text NOT NULL,
  category_id     text NOT NULL,
  within_days     integer NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
  template        jsonb NOT NULL,
  scheduled_at    timestamptz NOT NULL,
  rate_per_second integer NOT NULL CHECK (rate_per_second > 0),
  status          text NOT NULL CHECK (status IN ('scheduled', 'sending', 'done')),
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL
);

-- A campaign's resolved segment: nobody gets the same campaign twice.
CREATE TABLE campaign_recipients (
  campaign_id  uuid NOT NULL REFERENCES campaigns (id),
  user_id      text NOT NULL,
  -- pending, sent (queued on its channel), skipped (not opted in).
  status       text NOT NULL CHECK (status IN ('pending', 'sent', 'skipped')),
  processed_at timestamptz,
  PRIMARY KEY (campaign_id, user_id)
);
CREATE INDEX campaign_recipients_pending ON campaign_recipients (campaign_id, user_id) WHERE status = 'pending';

-- The development mail catcher (TOKO_ENV=development without an SMTP server).
CREATE TABLE dev_mail (
  id         uuid PRIMARY KEY,
  to_address text NOT NULL,
  subject    text NOT NULL,
  text_body  text NOT NULL,
  html_body  text NOT NULL,
  headers    jsonb NOT NULL,
  sent_at    timestamptz NOT NULL
);

-- The SMS provider's sandbox: messages it would have sent.
CREATE TABLE sms_sandbox (
  id         uuid PRIMARY KEY,
  to_number  text NOT NULL,
  body       text NOT NULL,
  sent_at    timestamptz NOT NULL
);
