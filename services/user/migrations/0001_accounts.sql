-- Accounts and their credentials. Emails are stored normalised (trim, lower case, NFC), so a
-- plain unique index is the uniqueness rule.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  email_verified boolean NOT NULL DEFAULT false,
  name text NOT NULL,
  phone text NOT NULL DEFAULT '',
  -- argon2id PHC string; never leaves the service.
  password_hash text NOT NULL,
  -- True while the password is one the seed generated (the admin before anyone chose one).
  password_generated boolean NOT NULL DEFAULT false,
  roles text[] NOT NULL DEFAULT ARRAY['buyer'],
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_roles_known CHECK (roles <@ ARRAY['buyer', 'seller', 'admin']::text[])
);

-- Single-use tokens for email verification and password reset. Only the SHA-256 of the token
-- is stored, so a database leak does not hand out working links.
CREATE TABLE user_tokens (
  token_hash bytea PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

-- Recent failed sign-ins per account (normalised email, known or not, so unknown emails
-- behave the same) and per client address.
CREATE TABLE login_failures (
  scope text NOT NULL CHECK (scope IN ('account', 'address')),
  key text NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz,
  PRIMARY KEY (scope, key)
);
