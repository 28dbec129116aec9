import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Type } from "@sinclair/typebox";
import { json, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { REDIS_URL, redisAvailable } from "./helpers/redis.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

let issuer: TestIssuer;
before(async () => {
  issuer = await startTestIssuer();
});
after(() => issuer.close());

const redis = await redisAvailable();

for (const store of ["memory", "redis"] as const) {
  const skip = store === "redis" && redis !== true ? redis : false;
  describe(`Idempotency-Key (${store} store)`, { skip }, () => {
    let gw: RunningGateway;
    let created = 0;
    // The "slow" order waits here, so a duplicate can arrive while the first is running.
    let entered: () => void = () => {};
    let release: () => void = () => {};

    before(async () => {
      gw = await startGateway(issuer, store === "redis" ? { TOKO_REDIS_URL: REDIS_URL } : {}, {
        extraRoutes: (app) =>
          app.post<{ Body: { item: string } }>(
            "/test/orders",
            {
              config: { auth: "user", idempotent: true },
              schema: { body: Type.Object({ item: Type.String(), note: Type.Optional(Type.String()) }) },
            },
            async (request, reply) => {
              if (request.body.item === "slow") {
                const gate = new Promise<void>((resolve) => {
                  release = resolve;
                });
                entered();
                await gate;
              }
              created += 1;
              return reply
                .code(201)
                .header("location", `/orders/${created}`)
                .send({ id: created, ...request.body });
            },
          ),
      });
    });
    after(() => gw.close());

    const order = (token: string, body: unknown, key?: string) =>
      fetch(`${gw.url}/test/orders`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(key ? { "idempotency-key": key } : {}),
        },
        body: JSON.stringify(body),
      });

    it("treats the same body with its fields in another order as the same request", async () => {
      const token = await issuer.mint(`user-${randomUUID()}`);
      const key = randomUUID();
      const first = await fetch(`${gw.url}/test/orders`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": key,
        },
        body: '{"item":"teh","note":"less sugar"}',
      });
      assert.equal(first.status, 201);
      const count = created;
      const reordered = await fetch(`${gw.url}/test/orders`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": key,
        },
        body: '{"note":"less sugar","item":"teh"}',
      });
      assert.equal(reordered.status, 201);
      assert.equal(reordered.headers.get("idempotent-replayed"), "true");
      assert.equal(created, count);
    });

    it("replays the first response for the same key and body, without running the handler again", async () => {
      const token = await issuer.mint(`user-${randomUUID()}`);
      const key = randomUUID();
      const first = await order(token, { item: "kopi" }, key);
      assert.equal(first.status, 201);
      const firstBody = await json(first);
      const count = created;
      const again = await order(token, { item: "kopi" }, key);
      assert.equal(again.status, 201);
      assert.deepEqual(await json(again), firstBody);
      assert.equal(again.headers.get("location"), first.headers.get("location"));
      assert.equal(again.headers.get("idempotent-replayed"), "true");
      assert.notEqual(again.headers.get("x-request-id"), first.headers.get("x-request-id"));
      assert.equal(created, count);
    });

    it("refuses the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED", async () => {
      const token = await issuer.mint(`user-${randomUUID()}`);
      const key = randomUUID();
      assert.equal((await order(token, { item: "kopi" }, key)).status, 201);
      const count = created;
      const res = await order(token, { item: "teh" }, key);
      assert.equal(res.status, 422);
      assert.equal((await json(res)).code, "IDEMPOTENCY_KEY_REUSED");
      assert.equal(created, count);
    });

    it("scopes keys per principal, and without a key every request runs", async () => {
      const key = randomUUID();
      const a = await order(await issuer.mint(`user-${randomUUID()}`), { item: "kopi" }, key);
      const b = await order(await issuer.mint(`user-${randomUUID()}`), { item: "kopi" }, key);
      assert.notDeepEqual(await json(a), await json(b));
      const token = await issuer.mint(`user-${randomUUID()}`);
      const count = created;
      await order(token, { item: "kopi" });
      await order(token, { item: "kopi" });
      assert.equal(created, count + 2);
    });

    it("answers 409 to a duplicate that arrives while the first is still running", async () => {
      const token = await issuer.mint(`user-${randomUUID()}`);
      const key = randomUUID();
      const inHandler = new Promise<void>((resolve) => {
        entered = resolve;
      });
      const first = order(token, { item: "slow" }, key);
      await inHandler;
      const duplicate = await order(token, { item: "slow" }, key);
      assert.equal(duplicate.status, 409);
      assert.equal((await json(duplicate)).code, "IDEMPOTENCY_IN_PROGRESS");
      release();
      const done = await first;
      assert.equal(done.status, 201);
      const replay = await order(token, { item: "slow" }, key);
      assert.deepEqual(await json(replay), await json(done));
    });

    it("rejects a malformed key with 400", async () => {
      const res = await order(await issuer.mint("user-x"), { item: "kopi" }, "x".repeat(300));
      assert.equal(res.status, 400);
      assert.equal((await json(res)).code, "INVALID_IDEMPOTENCY_KEY");
    });
  });
}
