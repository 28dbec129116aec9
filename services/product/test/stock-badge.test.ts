import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { StockChanged } from "@toko/contracts/toko/inventory/v1/events";
import { createEnvelope, protoEvent } from "@toko/kit";
import { countRows } from "@toko/testing";
import { eventually, type Harness, startHarness, tshirt } from "./harness.ts";

let h: Harness;
let kaos = "";
before(async () => {
  h = await startHarness();
  kaos = (await h.anonymous.getCategory({ categoryId: "", slug: "kaos-pria" })).category?.id ?? "";
});
after(() => h.stop());

/** Publishes a StockChanged on the bus as inventory would and waits until it was handled. */
async function stockChanged(
  shopId: string,
  sku: string,
  available: number,
  occurredAt: Date,
  reorderPoint = 0,
) {
  const message = StockChanged.fromPartial({
    shopId,
    sku,
    available,
    onHand: available,
    reorderPoint,
    occurredAt,
  });
  const envelope = createEnvelope(
    "inventory",
    protoEvent("toko.inventory.v1.StockChanged", `${shopId}/${sku}`, StockChanged, message),
  );
  await h.bus.publish([envelope]);
  await eventually(async () => {
    const { rowCount } = await h.db.pool.query("SELECT 1 FROM kit_inbox WHERE event_id = $1", [envelope.id]);
    return rowCount === 1;
  });
  return envelope;
}

const badges = async (productId: string) =>
  Object.fromEntries(
    ((await h.anonymous.getProduct({ productId })).product?.variants ?? []).map((v) => [
      v.sku,
      v.stockStatus,
    ]),
  );

test("StockChanged sets each variant's badge: in stock, low (reorder point or default), out of stock", async () => {
  const seller = await h.newSeller();
  const { product } = await seller.client.createProduct(tshirt("STK", { categoryId: kaos }));
  const id = product?.id ?? "";
  assert.deepEqual(await badges(id), { "STK-M": "unknown", "STK-L": "unknown" });
  const t = Date.now();
  await stockChanged(seller.shop.id, "STK-M", 40, new Date(t));
  await stockChanged(seller.shop.id, "stk-l", 3, new Date(t), 0);
  assert.deepEqual(await badges(id), { "STK-M": "in_stock", "STK-L": "low_stock" });
  await stockChanged(seller.shop.id, "STK-M", 15, new Date(t + 1), 20);
  await stockChanged(seller.shop.id, "STK-L", 0, new Date(t + 1));
  assert.deepEqual(await badges(id), { "STK-M": "low_stock", "STK-L": "out_of_stock" });
});

test("an older report never replaces a newer one; a redelivered event changes nothing", async () => {
  const seller = await h.newSeller();
  const { product } = await seller.client.createProduct(tshirt("ORD", { categoryId: kaos }));
  const id = product?.id ?? "";
  const t = Date.now();
  const newer = await stockChanged(seller.shop.id, "ORD-M", 0, new Date(t + 1_000));
  await stockChanged(seller.shop.id, "ORD-M", 50, new Date(t));
  assert.equal((await badges(id))["ORD-M"], "out_of_stock");
  // The same event again (at-least-once delivery): the inbox drops it.
  const inbox = await countRows(h.db.pool, "kit_inbox");
  await h.bus.publish([newer]);
  await stockChanged(seller.shop.id, "ORD-L", 9, new Date(t));
  assert.equal(await countRows(h.db.pool, "kit_inbox"), inbox + 1);
  assert.deepEqual(await badges(id), { "ORD-M": "out_of_stock", "ORD-L": "in_stock" });
});

test("reports for other shops' SKUs, unknown SKUs or malformed shop ids change nothing", async () => {
  const a = await h.newSeller();
  const b = await h.newSeller();
  const { product } = await a.client.createProduct(tshirt("OWN", { categoryId: kaos }));
  await stockChanged(b.shop.id, "OWN-M", 0, new Date());
  await stockChanged(a.shop.id, "NOPE", 0, new Date());
  await stockChanged("not-a-shop", "OWN-M", 0, new Date());
  assert.deepEqual(await badges(product?.id ?? ""), { "OWN-M": "unknown", "OWN-L": "unknown" });
});
