import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { routeModules } from "../src/routes/index.ts";
import { json, type RunningGateway, startGateway } from "./helpers/gateway.ts";
import { startTestIssuer, type TestIssuer } from "./helpers/test-issuer.ts";

// The public contract (API.md) for the areas the gateway routes today. The OpenAPI document
// may add endpoints, never drop these.
const contract: Record<string, string[]> = {
  "/api/v1/users": ["post"],
  "/api/v1/me": ["get", "patch"],
  "/api/v1/me/addresses": ["get", "post"],
  "/api/v1/me/addresses/{id}": ["patch", "delete"],
  "/api/v1/me/wishlist": ["get"],
  "/api/v1/me/wishlist/{product_id}": ["put", "delete"],
  "/api/v1/password-resets": ["post"],
  "/api/v1/password-resets/confirm": ["post"],
  "/api/v1/shops": ["post"],
  "/api/v1/shops/{slug}": ["get"],
  "/api/v1/categories": ["get"],
  "/api/v1/products": ["get", "post"],
  "/api/v1/products/{id}": ["get", "patch", "delete"],
  "/api/v1/products/{id}/price-schedules": ["get", "post"],
  "/api/v1/products/{id}/reviews": ["get", "post"],
  "/api/v1/seller/warehouses": ["get", "post"],
  "/api/v1/seller/stock": ["get"],
  "/api/v1/seller/stock/adjustments": ["post"],
  "/api/v1/seller/stock/transfers": ["post"],
  "/api/v1/seller/suppliers": ["get", "post"],
  "/api/v1/seller/purchase-orders": ["get", "post"],
  "/api/v1/seller/purchase-orders/{id}/send": ["post"],
  "/api/v1/seller/purchase-orders/{id}/receive": ["post"],
  "/api/v1/seller/suppliers/{id}/scorecard": ["get"],
  "/api/v1/cart": ["get"],
  "/api/v1/cart/items": ["post"],
  "/api/v1/cart/items/{variant_id}": ["patch", "delete"],
  "/api/v1/cart/merge": ["post"],
  "/api/v1/cart/vouchers": ["post"],
  "/api/v1/cart/vouchers/{code}": ["delete"],
  "/api/v1/cart/shipping-options": ["get"],
  "/api/v1/admin/vouchers": ["get", "post"],
  "/api/v1/seller/vouchers": ["get", "post"],
  "/api/v1/shipping/rates": ["get"],
  "/api/v1/shipments/{id}": ["get"],
  "/api/v1/shipping/webhooks/{carrier}": ["post"],
  "/api/v1/shipping/pickup-slots": ["get"],
  "/api/v1/shipping/delivery-slots": ["get"],
  "/api/v1/search": ["get"],
  "/api/v1/search/suggest": ["get"],
  "/api/v1/recommendations": ["get"],
  "/api/v1/shipments/{id}/delivery-slot": ["put"],
  "/api/v1/links": ["post"],
  "/api/v1/links/{code}/stats": ["get"],
  "/api/v1/payments/{id}": ["get"],
  "/api/v1/payments/{id}/simulate": ["post"],
  "/api/v1/payments/webhooks/{provider}": ["post"],
  "/api/v1/admin/payments/reconciliation": ["get"],
  "/api/v1/me/notifications": ["get"],
  "/api/v1/me/notifications/{id}/read": ["post"],
  "/api/v1/me/notification-preferences": ["get", "put"],
  "/api/v1/admin/campaigns": ["post"],
  "/api/v1/checkout": ["post"],
  "/api/v1/orders": ["get"],
  "/api/v1/orders/{id}": ["get"],
  "/api/v1/orders/{id}/cancel": ["post"],
  "/api/v1/orders/{id}/complete": ["post"],
  "/api/v1/orders/{id}/returns": ["post"],
  "/api/v1/seller/orders": ["get"],
  "/api/v1/seller/orders/{id}/accept": ["post"],
  "/api/v1/seller/orders/{id}/reject": ["post"],
  "/api/v1/seller/orders/{id}/ship": ["post"],
  "/api/v1/seller/returns/{id}/approve": ["post"],
  "/api/v1/seller/returns/{id}/reject": ["post"],
  "/api/v1/seller/returns/{id}/receive": ["post"],
  "/api/v1/seller/balance": ["get"],
};

let issuer: TestIssuer;
let gw: RunningGateway;

before(async () => {
  issuer = await startTestIssuer();
  // Every route module, as `npm start` mounts them; nothing needs to answer behind them.
  gw = await startGateway(
    issuer,
    {
      TOKO_USER_ADDR: "127.0.0.1:9",
      TOKO_PRODUCT_ADDR: "127.0.0.1:9",
      TOKO_INVENTORY_ADDR: "127.0.0.1:9",
      TOKO_CART_ADDR: "127.0.0.1:9",
      TOKO_SHIPPING_ADDR: "127.0.0.1:9",
      TOKO_PAYMENT_ADDR: "127.0.0.1:9",
      TOKO_NOTIFICATION_ADDR: "127.0.0.1:9",
      TOKO_SEARCH_ADDR: "127.0.0.1:9",
      TOKO_ORDER_ADDR: "127.0.0.1:9",
    },
    { modules: routeModules },
  );
});
after(async () => {
  await gw?.close();
  await issuer?.close();
});

describe("the OpenAPI document of the whole gateway", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = await json(await fetch(`${gw.url}/api/v1/openapi.json`));
    assert.equal(doc.openapi, "3.1.0");
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  it("has every path and method of the public contract", async () => {
    const doc = (await json(await fetch(`${gw.url}/api/v1/openapi.json`))) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(contract)) {
      for (const method of methods)
        if (!doc.paths[path]?.[method]) missing.push(`${method.toUpperCase()} ${path}`);
    }
    assert.deepEqual(missing, []);
  });

  it("answers a routed service being down with 503 problem+json, not a hang", async () => {
    const res = await fetch(`${gw.url}/api/v1/categories`);
    assert.equal(res.status, 503);
    assert.match(res.headers.get("content-type") ?? "", /application\/problem\+json/);
  });
});
