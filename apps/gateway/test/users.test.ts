import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, freePort, type TestDatabase } from "@toko/testing";
import { buildGateway } from "../src/app.ts";
import { loadGatewayConfig } from "../src/config.ts";
import { usersModule } from "../src/routes/users/index.ts";
import { ADDRESS as address } from "./helpers/address.ts";
import { INTERNAL_SECRET, json } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// Through the real gateway (HTTP) to the real user service process (gRPC) and PostgreSQL.
const userMain = join(import.meta.dirname, "..", "..", "..", "services", "user", "src", "main.ts");
let issuer: TestIssuer;
let db: TestDatabase;
let child: ChildProcess;
let origin: string;
let closeGateway: () => Promise<void>;

before(async () => {
  const [grpcPort, opsPort] = await Promise.all([freePort(), freePort()]);
  [issuer, db] = await Promise.all([startTestIssuer(), createTestDatabase()]);
  child = spawn(process.execPath, ["--import", "tsx", userMain], {
    env: {
      ...process.env,
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      DATABASE_URL: db.url,
      EVENT_BUS: "none",
      GRPC_PORT: String(grpcPort),
      OPS_PORT: String(opsPort),
      TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
      TOKO_ADMIN_PASSWORD: "Gateway-Test-Admin-77",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null || i > 300) throw new Error("the user service did not become ready");
    if (
      await fetch(`http://127.0.0.1:${opsPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const config = loadGatewayConfig({
    LOG_LEVEL: "silent",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    TOKO_JWT_ISSUER: issuer.issuer,
    TOKO_JWKS_URL: issuer.jwksUrl,
    TOKO_JWT_AUDIENCE: issuer.audience,
    TOKO_SHORTENER_ADDR: "127.0.0.1:9",
  });
  // The gateway's config does not know TOKO_USER_ADDR yet; add the address here.
  const gateway = await buildGateway(
    { ...config, services: { ...config.services, user: `127.0.0.1:${grpcPort}` } },
    { modules: [usersModule] },
  );
  origin = await gateway.listen();
  closeGateway = () => gateway.close();
});
after(async () => {
  await closeGateway?.();
  if (child && child.exitCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }
  await Promise.all([issuer?.close(), db?.drop()]);
});

const call = (method: string, path: string, body?: unknown, token?: string) =>
  fetch(`${origin}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function register(email: string) {
  const res = await call("POST", "/api/v1/users", { email, password: "Bakso-Malang-Urat-9", name: "Tester" });
  assert.equal(res.status, 201);
  const user = await json(res);
  return { user, token: await issuer.mint(String(user.id)) };
}

describe("users routes", () => {
  it("POST /api/v1/users registers (201, no password) and a duplicate is 409", async () => {
    const res = await call("POST", "/api/v1/users", {
      email: "Dewi@Example.com",
      password: "Bakso-Malang-Urat-9",
      name: "Dewi",
      phone: "0813-2222-3333",
    });
    assert.equal(res.status, 201);
    const body = await json(res);
    assert.equal(body.email, "dewi@example.com");
    assert.equal(body.phone, "+6281322223333");
    assert.deepEqual(body.roles, ["buyer"]);
    assert.equal("password" in body, false);
    const dup = await call("POST", "/api/v1/users", {
      email: "dewi@example.com",
      password: "Bakso-Malang-Urat-9",
      name: "D",
    });
    assert.equal(dup.status, 409);
    assert.match(dup.headers.get("content-type") ?? "", /application\/problem\+json/);
    assert.equal((await json(dup)).code, "EMAIL_TAKEN");
    const weak = await call("POST", "/api/v1/users", {
      email: "weak@example.com",
      password: "password1",
      name: "W",
    });
    assert.equal(weak.status, 422);
    assert.equal(((await json(weak)).errors as { field: string }[])[0]?.field, "password");
  });

  it("GET/PATCH /api/v1/me need a token and show the caller", async () => {
    assert.equal((await call("GET", "/api/v1/me")).status, 401);
    const { user, token } = await register("me@example.com");
    const me = await json(await call("GET", "/api/v1/me", undefined, token));
    assert.equal(me.id, user.id);
    const patched = await call("PATCH", "/api/v1/me", { name: "Meidy", phone: null }, token);
    assert.equal(patched.status, 200);
    assert.equal((await json(patched)).name, "Meidy");
  });

  it("address book: create, list, patch, delete; another user's address is 404", async () => {
    const a = await register("addr-a@example.com");
    const b = await register("addr-b@example.com");
    const created = await call(
      "POST",
      "/api/v1/me/addresses",
      { ...address, lat: -6.89, lng: 107.61 },
      a.token,
    );
    assert.equal(created.status, 201);
    const view = await json(created);
    assert.equal(view.is_default, true);
    assert.equal(view.lat, -6.89);
    const id = String(view.id);
    const list = await json(await call("GET", "/api/v1/me/addresses", undefined, a.token));
    assert.equal((list.items as unknown[]).length, 1);
    const patched = await json(
      await call("PATCH", `/api/v1/me/addresses/${id}`, { city: "Kota Cimahi", lat: null }, a.token),
    );
    assert.equal(patched.city, "Kota Cimahi");
    assert.equal(patched.lat, null);
    assert.equal((await call("PATCH", `/api/v1/me/addresses/${id}`, { city: "X1" }, b.token)).status, 404);
    assert.equal((await call("DELETE", `/api/v1/me/addresses/${id}`, undefined, b.token)).status, 404);
    const bad = await call("POST", "/api/v1/me/addresses", { ...address, postal_code: "4013x" }, a.token);
    assert.equal(bad.status, 422);
    assert.equal((await call("DELETE", `/api/v1/me/addresses/${id}`, undefined, a.token)).status, 204);
  });

  it("wishlist: PUT is idempotent, GET lists, DELETE removes", async () => {
    const { token } = await register("wish@example.com");
    const product = "0190a4b2-7c1e-7d3a-9f00-4b1d2c3e4f50";
    assert.equal((await call("PUT", `/api/v1/me/wishlist/${product}`, undefined, token)).status, 200);
    assert.equal((await call("PUT", `/api/v1/me/wishlist/${product}`, undefined, token)).status, 200);
    const list = await json(await call("GET", "/api/v1/me/wishlist?limit=10", undefined, token));
    assert.deepEqual(
      (list.items as { product_id: string }[]).map((i) => i.product_id),
      [product],
    );
    assert.equal(list.next_cursor, null);
    assert.equal((await call("DELETE", `/api/v1/me/wishlist/${product}`, undefined, token)).status, 204);
    assert.deepEqual((await json(await call("GET", "/api/v1/me/wishlist", undefined, token))).items, []);
  });

  it("password resets answer 202 whether or not the email exists; a bad token is 422", async () => {
    await register("reset-gw@example.com");
    const known = await call("POST", "/api/v1/password-resets", { email: "reset-gw@example.com" });
    const unknown = await call("POST", "/api/v1/password-resets", { email: "nobody-gw@example.com" });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(await known.json(), await unknown.json());
    const confirm = await call("POST", "/api/v1/password-resets/confirm", {
      token: "x".repeat(43),
      new_password: "Soto-Betawi-Enak-5",
    });
    assert.equal(confirm.status, 422);
    assert.equal((await json(confirm)).code, "INVALID_TOKEN");
  });
});
