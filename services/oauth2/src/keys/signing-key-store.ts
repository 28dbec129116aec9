import { generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type pg from "pg";
import type { SealedBox } from "../crypto/sealed-box.ts";

const generateKeyPairAsync = promisify(generateKeyPair);

/** A private signing key as a JWK (oidc-provider's `jwks.keys` entries). */
export interface SigningJwk {
  kid: string;
  alg: string;
  use: "sig";
  kty: string;
  [parameter: string]: unknown;
}

/** The keys a provider instance is built with: the current key first, then retired ones. */
export interface KeySet {
  keys: SigningJwk[];
  /** Identifies the set, to notice a rotation made by another replica. */
  fingerprint: string;
}

// RS256: the algorithm every OIDC client supports, and the cheapest to verify at the gateway.
const ALG = "RS256";

/** Signing keys in PostgreSQL, sealed at rest; rotation keeps retired keys until their tokens expire. */
export class SigningKeyStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly box: SealedBox,
    /** Seconds a retired key stays published: the longest lifetime of a token it signed. */
    private readonly retentionSeconds: number,
  ) {}

  /** Creates the first key if there is none (two replicas starting together create one). */
  async ensureCurrent(): Promise<void> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM signing_keys WHERE retired_at IS NULL");
    if (rowCount && rowCount > 0) return;
    const jwk = await newKey();
    // The unique index on the current key turns a concurrent insert into a no-op.
    await this.pool.query(
      "INSERT INTO signing_keys (kid, alg, sealed_jwk) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [jwk.kid, jwk.alg, this.box.seal(Buffer.from(JSON.stringify(jwk)), jwk.kid)],
    );
  }

  /** Makes a new key current and retires the previous one; returns the new kid. */
  async rotate(): Promise<string> {
    const jwk = await newKey();
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT kid FROM signing_keys WHERE retired_at IS NULL FOR UPDATE");
      await client.query("UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL");
      await client.query("INSERT INTO signing_keys (kid, alg, sealed_jwk) VALUES ($1, $2, $3)", [
        jwk.kid,
        jwk.alg,
        this.box.seal(Buffer.from(JSON.stringify(jwk)), jwk.kid),
      ]);
      await client.query("DELETE FROM signing_keys WHERE retired_at < now() - make_interval(secs => $1)", [
        this.retentionSeconds,
      ]);
      await client.query("COMMIT");
      return jwk.kid;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** The keys to publish and sign with: current first, then retired keys still within retention. */
  async load(): Promise<KeySet> {
    const { rows } = await this.pool.query<{ kid: string; sealed_jwk: Buffer }>(
      `SELECT kid, sealed_jwk FROM signing_keys
        WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
        ORDER BY retired_at DESC NULLS FIRST, created_at DESC`,
      [this.retentionSeconds],
    );
    if (rows.length === 0) throw new Error("no signing key; call ensureCurrent() first");
    const keys = rows.map(
      (r) => JSON.parse(this.box.open(r.sealed_jwk, r.kid).toString("utf8")) as SigningJwk,
    );
    return { keys, fingerprint: rows.map((r) => r.kid).join(",") };
  }

  /** The published key ids, current first, without decrypting anything. */
  async publishedKids(): Promise<string[]> {
    const { rows } = await this.pool.query<{ kid: string }>(
      `SELECT kid FROM signing_keys
        WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
        ORDER BY retired_at DESC NULLS FIRST, created_at DESC`,
      [this.retentionSeconds],
    );
    return rows.map((r) => r.kid);
  }
}

async function newKey(): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPairAsync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  return { ...jwk, kty: "RSA", kid: randomBytes(12).toString("base64url"), alg: ALG, use: "sig" };
}
