import assert from "node:assert/strict";
import { test } from "node:test";
import { base64url, codeChallenge, jwtClaims, randomToken } from "./pkce.ts";

test("the S256 challenge matches RFC 7636 appendix B", async () => {
  assert.equal(
    await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  );
});

test("random tokens are base64url and differ", () => {
  const a = randomToken();
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, randomToken());
  assert.equal(base64url(new Uint8Array([251, 255])), "-_8");
});

test("JWT claims decode, including non-ASCII names; garbage is undefined", () => {
  const payload = base64url(
    new TextEncoder().encode(JSON.stringify({ sub: "u1", name: "Siti Nurhaliza ✓" })),
  );
  assert.deepEqual(jwtClaims(`x.${payload}.y`), { sub: "u1", name: "Siti Nurhaliza ✓" });
  assert.equal(jwtClaims("nope"), undefined);
  assert.equal(jwtClaims("a.%%%.c"), undefined);
});
