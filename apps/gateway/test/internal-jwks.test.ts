import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadGatewayConfig } from "../src/config.ts";
import { type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// In a cluster the gateway reaches the authorization server by its Service name, while tokens
// carry the public issuer (`https://<origin>/oauth2`), which a pod may not even resolve.
const PUBLIC_ORIGIN = "https://toko.invalid";

let issuer: TestIssuer;
let gw: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  const internal = new URL(issuer.issuer).origin; // http://127.0.0.1:<port>, serving /oauth2/jwks
  gw = await startGateway(
    issuer,
    {
      TOKO_PUBLIC_ORIGIN: PUBLIC_ORIGIN,
      TOKO_OAUTH2_HTTP_URL: internal,
      // Neither names the issuer nor its key set: both follow from the two settings above.
      TOKO_JWT_ISSUER: "",
      TOKO_JWKS_URL: "",
    },
    {
      extraRoutes: (app) => {
        app.get("/test/whoami", { config: { auth: "user" } }, async (request) => ({
          sub: request.principal?.subject,
        }));
      },
    },
  );
});
after(async () => {
  await gw.close();
  await issuer.close();
});

const whoami = (token: string) =>
  fetch(`${gw.url}/test/whoami`, { headers: { authorization: `Bearer ${token}` } });

describe("the issuer's keys come from inside the cluster", () => {
  it("defaults the JWKS URL to the authorization server's HTTP port, and the issuer to the public origin", () => {
    assert.equal(gw.config.jwt.issuer, `${PUBLIC_ORIGIN}/oauth2`);
    assert.equal(gw.config.jwt.jwksUrl, `${new URL(issuer.issuer).origin}/oauth2/jwks`);
    const named = loadGatewayConfig({
      TOKO_INTERNAL_SECRET: "test-internal-secret-0123456789",
      TOKO_JWT_ISSUER: "https://id.example.com/realm",
    });
    assert.equal(named.jwt.jwksUrl, "https://id.example.com/realm/jwks");
    const explicit = loadGatewayConfig({
      TOKO_INTERNAL_SECRET: "test-internal-secret-0123456789",
      TOKO_JWKS_URL: "http://oauth2:9000/oauth2/jwks",
    });
    assert.equal(explicit.jwt.jwksUrl, "http://oauth2:9000/oauth2/jwks");
  });

  it("accepts a token whose iss is the public origin, verified with keys fetched from the internal URL", async () => {
    const before = issuer.jwksFetches();
    const token = await issuer.mint("user-7", { iss: `${PUBLIC_ORIGIN}/oauth2` });
    const res = await whoami(token);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { sub: "user-7" });
    assert.ok(issuer.jwksFetches() > before, "the key set was fetched from the internal URL");
  });

  it("refuses a token naming the internal address as its issuer", async () => {
    const token = await issuer.mint("user-7"); // iss: http://127.0.0.1:<port>/oauth2
    assert.equal((await whoami(token)).status, 401);
  });
});
