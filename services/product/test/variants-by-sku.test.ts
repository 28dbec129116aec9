import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ProductStatus } from "@toko/contracts/toko/product/v1/product";
import { rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness, tshirt } from "./harness.ts";

let h: Harness;
let kaosPria = "";
before(async () => {
  h = await startHarness();
  const { category } = await h.anonymous.getCategory({ categoryId: "", slug: "kaos-pria" });
  kaosPria = category?.id ?? "";
});
after(() => h.stop());

test("the owner resolves SKUs of drafts, archived products and retired variants; unknowns listed", async () => {
  const seller = await h.newSeller();
  const other = await h.newSeller();
  const { product: active } = await seller.client.createProduct(tshirt("ACT", { categoryId: kaosPria }));
  const { product: draft } = await seller.client.createProduct(
    tshirt("DRF", { categoryId: kaosPria, status: ProductStatus.PRODUCT_STATUS_DRAFT }),
  );
  const { product: archived } = await seller.client.createProduct(tshirt("ARC", { categoryId: kaosPria }));
  await seller.client.archiveProduct({ productId: archived?.id ?? "" });
  // Dropping ACT-L from the product retires that variant; its SKU stays the shop's.
  const keep = tshirt("ACT").variants.filter((v) => v.sku === "ACT-M");
  await seller.client.updateProduct({ productId: active?.id ?? "", variants: { variants: keep } });
  await other.client.createProduct(tshirt("OTH", { categoryId: kaosPria }));

  const res = await seller.client.getVariantsBySku({
    shopId: seller.shop.id,
    skus: ["act-m", "DRF-L", "ARC-M", "ACT-L", "NOPE-1", "OTH-M", "ACT-M"],
  });
  const idOf = (p: typeof active, sku: string) => p?.variants.find((v) => v.sku === sku)?.id;
  assert.deepEqual(
    res.variants.map((v) => [v.requestedSku, v.sku, v.productId, v.variantId, v.productStatus, v.active]),
    [
      ["act-m", "ACT-M", active?.id, idOf(active, "ACT-M"), ProductStatus.PRODUCT_STATUS_ACTIVE, true],
      ["DRF-L", "DRF-L", draft?.id, idOf(draft, "DRF-L"), ProductStatus.PRODUCT_STATUS_DRAFT, true],
      ["ARC-M", "ARC-M", archived?.id, idOf(archived, "ARC-M"), ProductStatus.PRODUCT_STATUS_ARCHIVED, true],
      ["ACT-L", "ACT-L", active?.id, idOf(active, "ACT-L"), ProductStatus.PRODUCT_STATUS_ACTIVE, false],
    ],
  );
  // Another shop's SKU is unknown here; a repeat in another case is answered once.
  assert.deepEqual(res.unknownSkus, ["NOPE-1", "OTH-M"]);
});

test("internal services may ask; other sellers, buyers and anonymous callers may not", async () => {
  const seller = await h.newSeller();
  const other = await h.newSeller();
  await seller.client.createProduct(tshirt("SVC", { categoryId: kaosPria }));
  const request = { shopId: seller.shop.id, skus: ["SVC-M"] };
  const asService = await h.as("service:inventory", ["service"]).getVariantsBySku(request);
  assert.deepEqual(
    asService.variants.map((v) => v.sku),
    ["SVC-M"],
  );
  await rejectsWithCode(other.client.getVariantsBySku(request), "FORBIDDEN");
  await rejectsWithCode(h.as("buyer-1").getVariantsBySku(request), "FORBIDDEN");
  await rejectsWithCode(h.anonymous.getVariantsBySku(request), "UNAUTHENTICATED");
});

test("bad input is refused with the field named", async () => {
  const seller = await h.newSeller();
  const shopId = seller.shop.id;
  const cases: [{ shopId: string; skus: string[] }, string, string | undefined][] = [
    [{ shopId: "not-an-id", skus: ["A"] }, "VALIDATION_FAILED", "shop_id"],
    [{ shopId, skus: ["A", " "] }, "VALIDATION_FAILED", "skus[1]"],
    [{ shopId, skus: Array.from({ length: 501 }, (_, i) => `S-${i}`) }, "VALIDATION_FAILED", "skus"],
    [{ shopId: "0190a0b0-0000-7000-8000-000000000000", skus: ["A"] }, "NOT_FOUND", undefined],
  ];
  for (const [request, code, field] of cases) {
    const error = await rejectsWithCode(
      h.as("service:inventory", ["service"]).getVariantsBySku(request),
      code,
    );
    if (field)
      assert.ok(
        error.violations.some((v) => v.field === field),
        field,
      );
  }
  assert.deepEqual(await seller.client.getVariantsBySku({ shopId, skus: [] }), {
    variants: [],
    unknownSkus: [],
  });
});
