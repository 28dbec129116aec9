import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, type TestDatabase } from "@toko/testing";
import { ClientRepository } from "../src/clients/client-repository.ts";
import { deriveKey, SealedBox } from "../src/crypto/sealed-box.ts";
import { SigningKeyStore } from "../src/keys/signing-key-store.ts";
import { pgAdapter, sweepExpired } from "../src/provider/pg-adapter.ts";
import { migrationsDir } from "../src/start.ts";

describe("PostgreSQL storage: the oidc-provider adapter, sealed keys and client secrets", () => {
  let db: TestDatabase;
  const box = SealedBox.fromKey(deriveKey("storage-test-root-secret-0123456789", "at-rest"));
  before(async () => {
    db = await createTestDatabase({ migrationsDir });
  });
  after(async () => {
    await db?.drop();
  });

  it("shares state between two adapter instances (two replicas) and consumes once", async () => {
    const clients = new ClientRepository(db.pool, box);
    const ReplicaA = pgAdapter(db.pool, clients);
    const ReplicaB = pgAdapter(db.pool, clients);
    const a = new ReplicaA("RefreshToken");
    const b = new ReplicaB("RefreshToken");
    await a.upsert("rt1", { grantId: "g1", accountId: "u1", kind: "RefreshToken" }, 3600);
    assert.equal((await b.find("rt1"))?.accountId, "u1");
    await b.consume("rt1");
    const consumed = (await a.find("rt1"))?.consumed;
    assert.ok(typeof consumed === "number" && consumed > 0);
    await a.consume("rt1");
    assert.equal((await b.find("rt1"))?.consumed, consumed, "a second consume keeps the first time");
  });

  it("revokes by grant id within the model and hides expired rows until swept", async () => {
    const Adapter = pgAdapter(db.pool, new ClientRepository(db.pool, box));
    const codes = new Adapter("AuthorizationCode");
    const sessions = new Adapter("Session");
    await codes.upsert("c1", { grantId: "g2" }, 60);
    await codes.upsert("c2", { grantId: "g3" }, 60);
    await codes.revokeByGrantId("g2");
    assert.equal(await codes.find("c1"), undefined);
    assert.ok(await codes.find("c2"));
    await sessions.upsert("s1", { uid: "uid-1" }, 1);
    assert.ok(await sessions.findByUid("uid-1"));
    await db.pool.query("UPDATE oidc_payloads SET expires_at = now() - interval '1 hour' WHERE id = 's1'");
    assert.equal(await sessions.findByUid("uid-1"), undefined);
    assert.ok((await sweepExpired(db.pool, 60)) >= 1);
  });

  it("stores signing keys and client secrets sealed, never in the clear", async () => {
    const keys = new SigningKeyStore(db.pool, box, 900);
    await Promise.all([keys.ensureCurrent(), keys.ensureCurrent()]);
    const { keys: loaded } = await keys.load();
    assert.equal(loaded.length, 1, "concurrent first starts create one key");
    const [{ sealed_jwk }] = (await db.pool.query("SELECT sealed_jwk FROM signing_keys")).rows as [
      { sealed_jwk: Buffer },
    ];
    const privateExponent = String(loaded[0]?.d);
    assert.ok(!sealed_jwk.toString("latin1").includes(privateExponent));
    const otherBox = SealedBox.fromKey(deriveKey("another-root-secret-0123456789abcdef", "at-rest"));
    await assert.rejects(new SigningKeyStore(db.pool, otherBox, 900).load());

    const clients = new ClientRepository(db.pool, box);
    await clients.insert({
      clientId: "svc-a",
      name: "Service A",
      type: "confidential",
      secret: "s3cr3t-value-that-is-long-enough",
      redirectUris: [],
      postLogoutRedirectUris: [],
      grantTypes: ["client_credentials"],
      scopes: ["seller"],
      firstParty: false,
      applicationType: "web",
    });
    const raw = (await db.pool.query("SELECT sealed_secret FROM clients WHERE client_id = 'svc-a'"))
      .rows[0] as {
      sealed_secret: Buffer;
    };
    assert.ok(!raw.sealed_secret.toString("latin1").includes("s3cr3t"));
    assert.equal((await clients.clientMetadata("svc-a"))?.client_secret, "s3cr3t-value-that-is-long-enough");
    await clients.disable("svc-a");
    assert.equal(await clients.clientMetadata("svc-a"), undefined);
  });
});
