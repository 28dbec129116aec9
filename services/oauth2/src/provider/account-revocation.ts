import { sql, type Transaction } from "@toko/kit";

/**
 * Ends what a password change must end for one account: its sign-in sessions, grants and every
 * code and token issued under them (refresh tokens included), plus interactions in flight for
 * it. Only what was signed in or issued up to `changedAt` goes: a sign-in with the new password
 * that beat the event here survives. Runs in the caller's transaction (the consumer's, with its
 * inbox row). Returns how many rows went.
 */
export async function revokeAccountArtifacts(
  trx: Transaction<unknown>,
  accountId: string,
  changedAt: Date,
): Promise<number> {
  const until = Math.floor(changedAt.getTime() / 1000);
  // When a row was signed in (sessions) or issued (everything else), in epoch seconds.
  const result = await sql`
    WITH grants AS (
      SELECT id FROM oidc_payloads
       WHERE model = 'Grant' AND payload->>'accountId' = ${accountId}
         AND COALESCE((payload->>'iat')::bigint, 0) <= ${until}
    )
    DELETE FROM oidc_payloads
     WHERE grant_id IN (SELECT id FROM grants)
        OR (model = 'Grant' AND id IN (SELECT id FROM grants))
        OR ((payload->>'accountId' = ${accountId} OR payload->'session'->>'accountId' = ${accountId})
            AND COALESCE((payload->>'loginTs')::bigint, (payload->>'iat')::bigint, 0) <= ${until})`.execute(
    trx,
  );
  return Number(result.numAffectedRows ?? 0n);
}
