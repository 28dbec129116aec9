import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

interface SigningKey {
  kid: string;
  privateKey: PrivateKey;
  jwk: JWK;
}

/** Claims of a seller's token from a client granted every scope (the default is a buyer's). */
export const SELLER_CLAIMS = { roles: ["buyer", "seller"], scope: "openid buyer seller" } as const;

/** A stand-in OAuth 2 issuer for tests: its own RSA keys, a JWKS endpoint, and a token mint. */
export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** How many times the JWKS was fetched. */
  jwksFetches(): number;
  /** Signs a token for `sub` with the current key; `claims` and `options` override defaults. */
  mint(
    sub: string,
    claims?: JWTPayload,
    options?: { expiresIn?: string | number; kid?: string; key?: "current" | "foreign"; issuedAt?: number },
  ): Promise<string>;
  /** Adds a new signing key (new kid) and makes it current, as an issuer rotating keys does. */
  rotate(): Promise<string>;
  close(): Promise<void>;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

/** Starts the issuer's JWKS server on a free loopback port. */
export async function startTestIssuer(audience = "toko-api"): Promise<TestIssuer> {
  const keys: SigningKey[] = [await newKey()];
  const foreign = await newKey(); // never published: tokens signed with it are forgeries
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === "/oauth2/jwks") {
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/oauth2`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience,
    jwksFetches: () => fetches,
    async mint(sub, claims = {}, options = {}) {
      const current = keys.at(-1) as SigningKey;
      // A forgery claims the issuer's current kid but is signed with an unpublished key.
      const key = options.key === "foreign" ? foreign : current;
      const jwt = new SignJWT({ scope: "openid buyer", roles: ["buyer"], ...claims })
        .setProtectedHeader({ alg: "RS256", kid: options.kid ?? current.kid })
        .setSubject(sub)
        .setIssuer(typeof claims.iss === "string" ? claims.iss : issuer)
        .setAudience(claims.aud ?? audience)
        .setIssuedAt(options.issuedAt)
        .setExpirationTime(options.expiresIn ?? "5m");
      return jwt.sign(key.privateKey);
    },
    async rotate() {
      const key = await newKey();
      keys.push(key);
      return key.kid;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
