import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { createJwtVerifier, type TokenVerifier } from "../src/auth/jwt-verifier.ts";
import { HttpProblem } from "../src/problem.ts";

// The gateway's verifier with its token cache, against a real JWKS endpoint over HTTP whose
// keys the test rotates and retires the way an issuer does.
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
interface Key {
  kid: string;
  privateKey: PrivateKey;
  jwk: JWK;
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

describe("token verification cache (real JWKS over HTTP)", () => {
  let server: Server;
  let issuer: string;
  let published: Key[];
  let fetches = 0;

  before(async () => {
    published = [await newKey()];
    server = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const verifier = (extra: { tokenCacheSize?: number; now?: () => number } = {}): TokenVerifier =>
    createJwtVerifier({
      issuer,
      jwksUrl: `${issuer}/jwks`,
      audience: "toko-api",
      clockSkewSeconds: 30,
      refetchCooldownMs: 0,
      ...extra,
    });

  const mint = (key: Key, sub: string, expiresIn: number | string = "5m") =>
    new SignJWT({ roles: ["buyer"], scope: "buyer", client_id: "toko-web" })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "at+jwt" })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience("toko-api")
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key.privateKey);

  const rejects401 = (promise: Promise<unknown>, detail: RegExp) =>
    assert.rejects(promise, (e: HttpProblem) => {
      assert.ok(e instanceof HttpProblem);
      assert.equal(e.status, 401);
      assert.match(e.message, detail);
      return true;
    });

  it("verifies a token once, then serves the same principal from the cache", async () => {
    const v = verifier();
    const token = await mint(published[0] as Key, "u-1");
    const first = await v.verify(token);
    const second = await v.verify(token);
    assert.deepEqual(second, first);
    assert.deepEqual(first, { subject: "u-1", roles: ["buyer"], scopes: ["buyer"], clientId: "toko-web" });
    assert.deepEqual(v.cacheStats?.(), { hits: 1, misses: 1, size: 1 });
  });

  it("a token with a changed signature is not a hit, and is refused", async () => {
    const v = verifier();
    const token = await mint(published[0] as Key, "u-2");
    await v.verify(token);
    const last = token.at(-2) === "A" ? "B" : "A";
    await rejects401(v.verify(`${token.slice(0, -2)}${last}${token.at(-1)}`), /signature/);
    assert.equal(v.cacheStats?.().hits, 0);
  });

  it("never serves a token past its exp (the cache's clock moves; jose's does not)", async () => {
    let now = Date.now();
    const v = verifier({ now: () => now });
    const token = await mint(published[0] as Key, "u-3", "60s");
    await v.verify(token);
    await v.verify(token);
    now += 61_000;
    // Past exp for the cache: verified afresh (jose, on real time, still accepts it) and not re-kept.
    await v.verify(token);
    assert.deepEqual(v.cacheStats?.(), { hits: 1, misses: 2, size: 0 });
  });

  it("drops tokens whose kid the issuer rotated out of its JWKS", async () => {
    const v = verifier();
    const old = published[0] as Key;
    const oldToken = await mint(old, "u-4");
    await v.verify(oldToken);
    await v.verify(oldToken);
    assert.equal(v.cacheStats?.().hits, 1);

    // Rotation: a new key signs, and the old one is retired from the JWKS.
    const next = await newKey();
    published = [next];
    const fetched = fetches;
    // A token from the new key makes the verifier refetch the set...
    assert.equal((await v.verify(await mint(next, "u-5"))).subject, "u-5");
    assert.ok(fetches > fetched);
    // ...after which the cached old token is no longer accepted.
    await rejects401(v.verify(oldToken), /unknown key/);
    assert.equal(v.cacheStats?.().hits, 1, "no hit for the retired key");
  });

  it("can be turned off (size 0)", async () => {
    const v = verifier({ tokenCacheSize: 0 });
    const token = await mint(published[0] as Key, "u-6");
    await v.verify(token);
    await v.verify(token);
    assert.deepEqual(v.cacheStats?.(), { hits: 0, misses: 0, size: 0 });
  });
});
