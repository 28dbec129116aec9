import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createDb, transaction } from "@toko/kit";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import { ClientRepository } from "../src/clients/client-repository.ts";
import { deriveKey, SealedBox } from "../src/crypto/sealed-box.ts";
import { revokeAccountArtifacts } from "../src/provider/account-revocation.ts";
import { pgAdapter } from "../src/provider/pg-adapter.ts";
import { migrationsDir } from "../src/start.ts";

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase({ migrationsDir });
});
after(() => db?.drop());

test("a password change revokes the account's sessions, grants and their tokens up to the change only", async () => {
  const Adapter = pgAdapter(
    db.pool,
    new ClientRepository(
      db.pool,
      SealedBox.fromKey(deriveKey("revocation-test-root-secret-0123456789", "at-rest")),
    ),
  );
  const change = new Date("2026-03-01T10:00:00Z");
  const at = (offsetS: number) => Math.floor(change.getTime() / 1000) + offsetS;
  const [sessions, grants, refresh, access, interactions] = [
    "Session",
    "Grant",
    "RefreshToken",
    "AccessToken",
    "Interaction",
  ].map((model) => new Adapter(model));
  // Before the change: u1's old sign-in and everything issued under it.
  await sessions?.upsert("s-old", { accountId: "u1", loginTs: at(-60), iat: at(-60) }, 3600);
  await grants?.upsert("g-old", { accountId: "u1", clientId: "web", iat: at(-60) }, 3600);
  await refresh?.upsert("rt-old", { accountId: "u1", grantId: "g-old", iat: at(-30) }, 3600);
  await access?.upsert("at-old", { accountId: "u1", grantId: "g-old", iat: at(-30) }, 3600);
  await interactions?.upsert("i-old", { session: { accountId: "u1" }, iat: at(-10) }, 3600);
  // After the change (a sign-in with the new password that beat the event): kept.
  await sessions?.upsert("s-new", { accountId: "u1", loginTs: at(5), iat: at(5) }, 3600);
  await grants?.upsert("g-new", { accountId: "u1", clientId: "web", iat: at(5) }, 3600);
  await refresh?.upsert("rt-new", { accountId: "u1", grantId: "g-new", iat: at(6) }, 3600);
  // Another account: kept.
  await sessions?.upsert("s-u2", { accountId: "u2", loginTs: at(-60) }, 3600);
  await refresh?.upsert("rt-u2", { accountId: "u2", grantId: "g-u2", iat: at(-60) }, 3600);

  const kysely = createDb<unknown>(db.pool);
  const revoked = await transaction(kysely, (trx) => revokeAccountArtifacts(trx, "u1", change));
  assert.equal(revoked, 5);
  const { rows } = await db.pool.query<{ id: string }>("SELECT id FROM oidc_payloads ORDER BY id");
  assert.deepEqual(
    rows.map((r) => r.id),
    ["g-new", "rt-new", "rt-u2", "s-new", "s-u2"],
  );
});
