-- Everything oidc-provider persists (sessions, interactions, grants, codes, refresh tokens, ...):
-- one row per model + id, so a restart or a second replica sees the same state.
CREATE TABLE oidc_payloads (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  uid text,
  user_code text,
  consumed_at timestamptz,
  expires_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_payloads_grant_id ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payloads_uid ON oidc_payloads (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payloads_user_code ON oidc_payloads (user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_payloads_expires_at ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;

-- Token signing keys. The private JWK is sealed with AES-256-GCM (iv | tag | ciphertext) under
-- OAUTH2_KEY_ENCRYPTION_KEY; the kid is the associated data, so rows cannot be swapped.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  sealed_jwk bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Set when a newer key took over; the key stays published until its tokens have expired.
  retired_at timestamptz
);
-- At most one current key.
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

-- Registered OAuth clients (seeded first-party ones and those added through the admin API).
CREATE TABLE clients (
  client_id text PRIMARY KEY,
  name text NOT NULL,
  client_type text NOT NULL CHECK (client_type IN ('public', 'confidential')),
  -- Confidential clients only, sealed like the signing keys (the client id is the associated data).
  sealed_secret bytea,
  redirect_uris text[] NOT NULL DEFAULT '{}',
  post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
  grant_types text[] NOT NULL,
  scopes text[] NOT NULL,
  first_party boolean NOT NULL DEFAULT false,
  application_type text NOT NULL DEFAULT 'web' CHECK (application_type IN ('web', 'native')),
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((client_type = 'confidential') = (sealed_secret IS NOT NULL))
);
