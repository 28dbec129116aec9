import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ClientType } from "@toko/contracts/toko/oauth2/v1/oauth2";
import { waitForValue } from "@toko/testing";
import { decodeJwt } from "jose";
import * as oidc from "openid-client";
import { ADDRESS } from "./helpers/address.ts";
import { openLogin, signIn, submitLogin } from "./identity-browser.ts";
import { discoverVia, type MarketplaceStack, startMarketplaceStack } from "./identity-stack.ts";

// A client that knows nothing about Toko but the discovery URL: openid-client, code + PKCE, the
// login form, then the API with plain fetch. No `resource` parameter anywhere.
const PASSWORD = "correct horse battery";
const EMAIL = "sari@example.com";
const ALL_SCOPES = "openid profile email offline_access buyer seller";
const asAdmin = { principal: { subject: "test-admin", roles: ["admin"], scopes: ["admin"] } };

describe("a generic OIDC client signs in and uses every API area (real services, no resource parameter)", () => {
  let stack: MarketplaceStack;
  let cli: oidc.Configuration;
  let userId: string;
  // RFC 8252: the CLI listens on any loopback port; the redirect never needs to be served here.
  const loopback = "http://127.0.0.1:49321/callback";

  before(async () => {
    stack = await startMarketplaceStack();
    userId = await stack.register(EMAIL, PASSWORD);
    cli = await discoverVia(stack.issuer, "toko-cli");
  });
  after(async () => {
    await stack?.close();
  });

  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.origin}${path}`, {
      method,
      redirect: "manual",
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
  const expect = async (status: number, call: Promise<{ status: number; body: unknown }>) => {
    const res = await call;
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body as Record<string, unknown> & { items: Record<string, unknown>[] };
  };

  it("signs in, reads userinfo and uses users, shops, catalog, inventory and links with plain fetch", async () => {
    const tokens = await signIn(cli, {
      redirectUri: loopback,
      email: EMAIL,
      password: PASSWORD,
      scope: ALL_SCOPES,
    });
    assert.equal(tokens.claims()?.sub, userId);
    const info = await oidc.fetchUserInfo(cli, tokens.access_token, userId);
    assert.equal(info.email, EMAIL);
    assert.equal(info.name, "sari");
    const buyer = tokens.access_token;

    // Users: profile, address book, wishlist.
    assert.equal((await expect(200, api(buyer, "GET", "/api/v1/me"))).email, EMAIL);
    const address = await expect(
      201,
      api(buyer, "POST", "/api/v1/me/addresses", { ...ADDRESS, recipient: "Sari" }),
    );
    assert.deepEqual(
      (await expect(200, api(buyer, "GET", "/api/v1/me/addresses"))).items.map((a) => a.id),
      [address.id],
    );

    // A buyer is not a seller yet: seller routes refuse before any service is asked.
    await expect(403, api(buyer, "GET", "/api/v1/seller/warehouses"));

    // Open a shop: the product service grants the seller role; a refreshed token carries it.
    await expect(
      201,
      api(buyer, "POST", "/api/v1/shops", {
        name: "Toko Sari",
        slug: "toko-sari",
        city: "Bandung",
        province: "Jawa Barat",
      }),
    );
    let refreshToken = tokens.refresh_token ?? "";
    const firstRefreshToken = refreshToken;
    const seller = await waitForValue(async () => {
      const next = await oidc.refreshTokenGrant(cli, refreshToken);
      refreshToken = next.refresh_token ?? "";
      const roles = decodeJwt(next.access_token).roles as string[];
      return roles.includes("seller") ? next.access_token : undefined;
    }, "a refreshed token with the seller role");
    assert.notEqual(refreshToken, firstRefreshToken, "refresh tokens rotate");
    assert.equal(
      (await oidc.fetchUserInfo(cli, seller, userId)).email,
      EMAIL,
      "a refreshed token works at userinfo",
    );

    // Catalog: a product in the new shop.
    const categories = await expect(200, api(seller, "GET", "/api/v1/categories"));
    const leaf = (node: Record<string, unknown>): Record<string, unknown> => {
      const children = node.children as Record<string, unknown>[];
      return children.length === 0 ? node : leaf(children[0] as Record<string, unknown>);
    };
    const category = leaf(categories.items[0] as Record<string, unknown>);
    const product = await expect(
      201,
      api(seller, "POST", "/api/v1/products", {
        title: "Kopi Arabika Gayo 250 gr",
        description: "Biji kopi sangrai medium",
        category_id: category.id,
        condition: "new",
        weight_grams: 300,
        variants: [{ sku: "KOPI-250", options: { Gilingan: "Biji" }, price: 85_000 }],
      }),
    );
    assert.equal(
      (await expect(200, api(seller, "GET", `/api/v1/products/${product.id}`))).title,
      product.title,
    );

    // Wishlist (a buyer action, with the same token).
    await expect(200, api(seller, "PUT", `/api/v1/me/wishlist/${product.id}`));
    assert.deepEqual(
      (await expect(200, api(seller, "GET", "/api/v1/me/wishlist"))).items.map((w) => w.product_id),
      [product.id],
    );

    // Inventory: a warehouse and a stock adjustment for the new SKU.
    const warehouse = await expect(
      201,
      api(seller, "POST", "/api/v1/seller/warehouses", {
        name: "Gudang Bandung",
        address: "Jl. Soekarno-Hatta 1",
        city: "Bandung",
        province: "Jawa Barat",
      }),
    );
    await expect(
      201,
      api(seller, "POST", "/api/v1/seller/stock/adjustments", {
        sku: "KOPI-250",
        warehouse_id: warehouse.id,
        delta: 12,
        reason: "initial count",
      }),
    );
    const levels = await expect(200, api(seller, "GET", "/api/v1/seller/stock?sku=KOPI-250"));
    assert.deepEqual(
      levels.items.map((l) => [l.warehouse_id, l.on_hand]),
      [[warehouse.id, 12]],
    );

    // Links: a short link for the shop's social page, which redirects.
    const target = "https://www.instagram.com/tokosari";
    const link = await expect(201, api(seller, "POST", "/api/v1/links", { url: target }));
    const visit = await fetch(`${stack.origin}/s/${link.code}`, { redirect: "manual" });
    assert.ok([301, 302, 307, 308].includes(visit.status), `redirect status ${visit.status}`);
    assert.equal(visit.headers.get("location"), target);
    assert.equal((await expect(200, api(seller, "GET", "/api/v1/links"))).items.length, 1);

    // Refresh token reuse: presenting a rotated-out token ends the whole grant.
    await assert.rejects(oidc.refreshTokenGrant(cli, firstRefreshToken), (e: oidc.ResponseBodyError) => {
      assert.equal(e.error, "invalid_grant");
      return true;
    });
    await assert.rejects(
      oidc.refreshTokenGrant(cli, refreshToken),
      (e: oidc.ResponseBodyError) => e.error === "invalid_grant",
    );
  });

  it("a token granted without `seller` is 403 on seller routes although the user is a seller", async () => {
    const tokens = await signIn(cli, {
      redirectUri: loopback,
      email: EMAIL,
      password: PASSWORD,
      scope: "openid email offline_access buyer",
    });
    const claims = decodeJwt(tokens.access_token);
    assert.deepEqual(claims.roles, ["buyer"], "roles are the user's roles within the granted scopes");
    assert.equal((await api(tokens.access_token, "GET", "/api/v1/me")).status, 200);
    for (const [method, path, body] of [
      ["GET", "/api/v1/seller/warehouses", undefined],
      [
        "POST",
        "/api/v1/seller/stock/adjustments",
        { sku: "KOPI-250", warehouse_id: "x", delta: 1, reason: "x" },
      ],
      ["POST", "/api/v1/products", { title: "x" }],
    ] as const) {
      const res = await api(tokens.access_token, method, path, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.code, "FORBIDDEN");
    }
  });

  it("a third-party client goes through consent and acts only within what the user approved", async () => {
    const redirectUri = "https://partner.example/callback";
    await stack.admin.registerClient(
      {
        clientId: "partner-shop-tools",
        name: "Partner Shop Tools",
        type: ClientType.CLIENT_TYPE_PUBLIC,
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [],
        grantTypes: ["authorization_code", "refresh_token"],
        scopes: ["openid", "profile", "email", "buyer", "seller"],
        firstParty: false,
        applicationType: "web",
      },
      asAdmin,
    );
    const partner = await discoverVia(stack.issuer, "partner-shop-tools");

    /** Login, then the consent page: it must list `expected`; the user allows. */
    const consentAndExchange = async (scope: string, expected: RegExp[]) => {
      const page = await openLogin(partner, redirectUri, scope);
      const posted = await submitLogin(page, EMAIL, PASSWORD);
      assert.equal(posted.res.status, 303);
      const consent = await page.browser.follow(
        new URL(posted.res.headers.get("location") ?? "", page.url).href,
        redirectUri,
      );
      const html = (await consent.response?.text()) ?? "";
      assert.match(html, /wants to access your Toko account/, "a third-party client is asked about");
      for (const item of expected) assert.match(html, item);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? "";
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
      const allowed = await page.browser.fetch(new URL(action, consent.url).href, {
        csrf,
        decision: "allow",
      });
      assert.equal(allowed.status, 303);
      const done = await page.browser.follow(
        new URL(allowed.headers.get("location") ?? "", consent.url).href,
        redirectUri,
      );
      return oidc.authorizationCodeGrant(partner, new URL(done.url), {
        pkceCodeVerifier: page.verifier,
        expectedState: page.state,
        expectedNonce: page.nonce,
      });
    };

    // Approved for `openid profile`: userinfo answers, the API does nothing for it.
    const profileOnly = await consentAndExchange("openid profile", [/See your name/]);
    assert.deepEqual(decodeJwt(profileOnly.access_token).roles, []);
    assert.equal((await oidc.fetchUserInfo(partner, profileOnly.access_token, userId)).name, "sari");
    const levels = await api(profileOnly.access_token, "GET", "/api/v1/seller/stock");
    const adjust = await api(profileOnly.access_token, "POST", "/api/v1/seller/stock/adjustments", {
      sku: "KOPI-250",
      warehouse_id: "00000000-0000-0000-0000-000000000000",
      delta: 100,
      reason: "x",
    });
    const me = await api(profileOnly.access_token, "GET", "/api/v1/me");
    for (const res of [levels, adjust, me]) assert.equal(res.status, 403);

    // Asked for `seller` in another sign-in, the consent screen names it; once allowed, it works.
    const asSeller = await consentAndExchange("openid seller", [/Manage your shop/]);
    assert.deepEqual(decodeJwt(asSeller.access_token).roles, ["seller"]);
    assert.equal((await api(asSeller.access_token, "GET", "/api/v1/seller/warehouses")).status, 200);
    assert.equal((await api(asSeller.access_token, "GET", "/api/v1/me")).status, 403, "no buyer scope");
  });

  it("a first-party browser session signs in without a consent screen", async () => {
    const web = await discoverVia(stack.issuer, "toko-web");
    // signIn fails unless the login form leads straight back to the redirect URI.
    const tokens = await signIn(web, {
      redirectUri: `${stack.origin}/callback`,
      email: EMAIL,
      password: PASSWORD,
      scope: ALL_SCOPES,
    });
    assert.deepEqual(decodeJwt(tokens.access_token).roles, ["buyer", "seller"]);
  });
});
