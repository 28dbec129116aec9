import type { Adapter, AdapterConstructor, AdapterPayload } from "oidc-provider";
import type pg from "pg";

/** Where the adapter finds clients; registered clients live in their own table, not as payloads. */
export interface ClientMetadataSource {
  /** oidc-provider client metadata of an enabled client, or undefined. */
  clientMetadata(clientId: string): Promise<AdapterPayload | undefined>;
}

/**
 * oidc-provider's storage port over one PostgreSQL table keyed by (model, id). Expired rows are
 * invisible (like a TTL store) and swept by `sweepExpired`.
 */
export function pgAdapter(pool: pg.Pool, clients: ClientMetadataSource): AdapterConstructor {
  return class PgAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await pool.query(
        `INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int > 0 THEN now() + make_interval(secs => $7::int) END)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
           uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at`,
        [
          this.model,
          id,
          JSON.stringify(payload),
          payload.grantId ?? null,
          payload.uid ?? null,
          payload.userCode ?? null,
          expiresIn > 0 ? Math.ceil(expiresIn) : 0,
        ],
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === "Client") return clients.clientMetadata(id);
      return this.findBy("id", id);
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.findBy("uid", uid);
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.findBy("user_code", userCode);
    }

    async consume(id: string): Promise<void> {
      // Only the first consumer stamps the time: a replayed code or refresh token stays "consumed".
      await pool.query(
        `UPDATE oidc_payloads SET consumed_at = COALESCE(consumed_at, now()),
           payload = payload || jsonb_build_object('consumed', COALESCE(payload->'consumed', to_jsonb(extract(epoch FROM now())::bigint)))
         WHERE model = $1 AND id = $2`,
        [this.model, id],
      );
    }

    async destroy(id: string): Promise<void> {
      await pool.query("DELETE FROM oidc_payloads WHERE model = $1 AND id = $2", [this.model, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await pool.query("DELETE FROM oidc_payloads WHERE model = $1 AND grant_id = $2", [this.model, grantId]);
    }

    private async findBy(
      column: "id" | "uid" | "user_code",
      value: string,
    ): Promise<AdapterPayload | undefined> {
      const { rows } = await pool.query<{ payload: AdapterPayload }>(
        `SELECT payload FROM oidc_payloads
          WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, value],
      );
      return rows[0]?.payload;
    }
  };
}

/** Deletes rows that expired more than `graceSeconds` ago; returns how many. */
export async function sweepExpired(pool: pg.Pool, graceSeconds = 300): Promise<number> {
  const { rowCount } = await pool.query(
    "DELETE FROM oidc_payloads WHERE expires_at < now() - make_interval(secs => $1)",
    [graceSeconds],
  );
  return rowCount ?? 0;
}

/** Deletes every grant, code, token and session tied to a client (used when it is disabled). */
export async function revokeClientArtifacts(pool: pg.Pool, clientId: string): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM oidc_payloads WHERE payload->>'clientId' = $1
        OR grant_id IN (SELECT id FROM oidc_payloads WHERE model = 'Grant' AND payload->>'clientId' = $1)`,
    [clientId],
  );
  return rowCount ?? 0;
}
