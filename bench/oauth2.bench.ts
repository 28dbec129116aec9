// `npm run bench -- oauth2`: (1) login-to-token latency — authorization request, login form with
// the real user service checking an argon2id hash, code exchange — over real user + oauth2
// processes; (2) what verifying an access token costs the gateway (its own JWKS verifier, keys
// cached) next to a bare RS256 verify and an HMAC of the same size, to place the number.
import { createHmac } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { createJwtVerifier } from "../apps/gateway/src/auth/jwt-verifier.ts";
import { adminClient, asAdmin, ClientType } from "../services/oauth2/test/support/admin-client.ts";
import { discover, login } from "../services/oauth2/test/support/oidc-flow.ts";
import { startStack } from "../services/oauth2/test/support/stack.ts";
import type { BenchResult } from "./run.ts";
import { percentile } from "./support.ts";

const LOGINS = 30;
const WARMUP_LOGINS = 3;
const VERIFY_WARMUP = 2_000;
const VERIFY_ROUNDS = 20_000;
const DISTINCT_TOKENS = 200;
const REPEATS = 50;
const API = { resource: "urn:toko:api" };

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - started) * 1000) / n;
}

export default async function (): Promise<BenchResult> {
  const stack = await startStack();
  try {
    const password = "correct horse battery";
    await stack.register("bench@example.com", password, "Bench");
    const web = await discover(stack.issuer, "toko-web");
    const redirectUri = `${stack.origin}/callback`;
    const once = () =>
      login(web, {
        redirectUri,
        email: "bench@example.com",
        password,
        tokenParameters: { resource: "urn:toko:api" },
      });
    for (let i = 0; i < WARMUP_LOGINS; i++) await once();
    const samples: number[] = [];
    let token = "";
    for (let i = 0; i < LOGINS; i++) {
      const started = performance.now();
      const { tokens } = await once();
      samples.push(performance.now() - started);
      token = tokens.access_token;
    }
    samples.sort((a, b) => a - b);

    // Refresh alone: the token endpoint without the password check.
    const { tokens } = await once();
    let refresh = tokens.refresh_token ?? "";
    const refreshUs = await timeEach(30, async () => {
      refresh =
        (await oidc.refreshTokenGrant(web, refresh, { resource: "urn:toko:api" })).refresh_token ?? "";
    });

    // The gateway's verifier, as the gateway builds it (remote JWKS, cached after the first call),
    // without its token cache (every call verifies the signature: the "before") and with it.
    const verifierOptions = {
      issuer: stack.issuer,
      jwksUrl: `${stack.issuer}/jwks`,
      audience: "toko-api",
      clockSkewSeconds: 30,
    };
    const uncached = createJwtVerifier({ ...verifierOptions, tokenCacheSize: 0 });
    const cached = createJwtVerifier(verifierOptions);
    // A realistic mix: DISTINCT_TOKENS clients each sending their token REPEATS times, interleaved.
    const admin = adminClient(stack);
    const { clientSecret } = await admin.registerClient(
      {
        clientId: "bench-bot",
        name: "Bench bot",
        type: ClientType.CLIENT_TYPE_CONFIDENTIAL,
        redirectUris: [],
        postLogoutRedirectUris: [],
        grantTypes: ["client_credentials"],
        scopes: ["seller"],
        firstParty: false,
        applicationType: "",
      },
      asAdmin,
    );
    admin.close();
    const bot = await oidc.discovery(
      new URL(stack.issuer),
      "bench-bot",
      undefined,
      oidc.ClientSecretBasic(clientSecret),
      { execute: [oidc.allowInsecureRequests] },
    );
    const distinct: string[] = [];
    for (let i = 0; i < DISTINCT_TOKENS; i++) {
      distinct.push((await oidc.clientCredentialsGrant(bot, { scope: "seller", ...API })).access_token);
    }
    const mixed = createJwtVerifier(verifierOptions);
    let turn = 0;
    const jwks = (await (await fetch(`${stack.issuer}/jwks`)).json()) as Parameters<
      typeof createLocalJWKSet
    >[0];
    const local = createLocalJWKSet(jwks);
    const bare = () => jwtVerify(token, local, { issuer: stack.issuer, audience: "toko-api" });
    await timeEach(VERIFY_WARMUP, () => uncached.verify(token));
    await timeEach(VERIFY_WARMUP, () => cached.verify(token));
    await timeEach(VERIFY_WARMUP, bare);
    const gatewayUs = await timeEach(VERIFY_ROUNDS, () => uncached.verify(token));
    const cachedUs = await timeEach(VERIFY_ROUNDS, () => cached.verify(token));
    const mixedUs = await timeEach(DISTINCT_TOKENS * REPEATS, () =>
      mixed.verify(distinct[turn++ % DISTINCT_TOKENS] ?? ""),
    );
    const mixedStats = mixed.cacheStats?.();
    const bareUs = await timeEach(VERIFY_ROUNDS, bare);
    const hmacUs = await timeEach(VERIFY_ROUNDS, async () =>
      createHmac("sha256", "k").update(token).digest(),
    );

    const ms = (v: number) => Number(v.toFixed(1));
    const us = (v: number) => Number(v.toFixed(1));
    return {
      name: "oauth2: login-to-token latency and access token verification cost",
      rows: [
        {
          measure: "login to token (authorize + login form + code exchange)",
          p50: `${ms(percentile(samples, 0.5))} ms`,
          p95: `${ms(percentile(samples, 0.95))} ms`,
          n: LOGINS,
        },
        {
          measure: "refresh_token grant (rotation, JWT issued)",
          p50: `${ms(refreshUs / 1000)} ms (mean)`,
          p95: "",
          n: 30,
        },
        {
          measure: "gateway verify, token cache off (before: signature every time)",
          p50: `${us(gatewayUs)} µs/op (mean)`,
          p95: `${Math.round(1e6 / gatewayUs)} ops/s`,
          n: VERIFY_ROUNDS,
        },
        {
          measure: "gateway verify, token cache on (after: same token again)",
          p50: `${us(cachedUs)} µs/op (mean)`,
          p95: `${Math.round(1e6 / cachedUs)} ops/s`,
          n: VERIFY_ROUNDS,
        },
        {
          measure: `gateway verify, cache on, ${DISTINCT_TOKENS} tokens × ${REPEATS} uses, interleaved`,
          p50: `${us(mixedUs)} µs/op (mean)`,
          p95: `${Math.round(1e6 / mixedUs)} ops/s`,
          n: DISTINCT_TOKENS * REPEATS,
        },
        {
          measure: "bare jose RS256 jwtVerify (local key set)",
          p50: `${us(bareUs)} µs/op (mean)`,
          p95: `${Math.round(1e6 / bareUs)} ops/s`,
          n: VERIFY_ROUNDS,
        },
        {
          measure: "HMAC-SHA256 over the token (floor)",
          p50: `${us(hmacUs)} µs/op (mean)`,
          p95: "",
          n: VERIFY_ROUNDS,
        },
      ],
      notes: [
        `speed-up of a repeated token: ${(gatewayUs / cachedUs).toFixed(1)}×; mixed run: ${mixedStats?.hits} hits, ${mixedStats?.misses} misses (first use of each token)`,
        `token: RS256 (kid ${decodeProtectedHeader(token).kid}), ${token.length} bytes; one verify runs on one core, sequentially`,
        "login latency is dominated by the user service's argon2id verification (deliberately slow) plus 6 HTTP round trips",
        "processes: user + oauth2 as child processes on an embedded PostgreSQL (fsync off), loopback",
      ],
    };
  } finally {
    await stack.stop();
  }
}
