import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ProductServiceClient, ProductStatus } from "@toko/contracts/toko/product/v1/product";
import { countRows, rejectsWithCode, testPrincipal } from "@toko/testing";
import { type Harness, startHarness, tshirt } from "./harness.ts";

let h: Harness;
let kaosPria = "";
before(async () => {
  h = await startHarness();
  const { category } = await h.anonymous.getCategory({ categoryId: "", slug: "kaos-pria" });
  kaosPria = category?.id ?? "";
});
after(() => h.stop());

describe("categories", () => {
  test("a tree at least three levels deep for the main branches, with breadcrumbs", async () => {
    const { categories } = await h.anonymous.listCategories({});
    assert.ok(categories.length >= 10);
    const fashion = categories.find((c) => c.slug === "fashion-pria");
    assert.ok(
      fashion?.children.find((c) => c.slug === "atasan-pria")?.children.some((c) => c.slug === "kaos-pria"),
    );
    for (const root of categories.slice(0, 5))
      assert.ok(
        root.children.every((c) => c.children.length > 0),
        root.slug,
      );
    const { breadcrumbs } = await h.anonymous.getCategory({ categoryId: kaosPria, slug: "" });
    assert.deepEqual(
      breadcrumbs.map((b) => b.slug),
      ["fashion-pria", "atasan-pria", "kaos-pria"],
    );
    await rejectsWithCode(h.anonymous.getCategory({ categoryId: "", slug: "no-such" }), "NOT_FOUND");
  });
});

describe("products", () => {
  test("an owner creates a product; anyone reads it with breadcrumbs and shop", async () => {
    const seller = await h.newSeller();
    const { product } = await seller.client.createProduct(tshirt("KAOS", { categoryId: kaosPria }));
    assert.ok(product);
    assert.equal(product.status, ProductStatus.PRODUCT_STATUS_ACTIVE);
    assert.deepEqual(
      product.variants.map((v) => [v.sku, v.price?.amount]),
      [
        ["KAOS-M", 59_000],
        ["KAOS-L", 65_000],
      ],
    );
    const { product: read } = await h.anonymous.getProduct({ productId: product.id });
    assert.equal(read?.shopSlug, seller.shop.slug);
    assert.equal(read?.breadcrumbs.at(-1)?.slug, "kaos-pria");
    assert.equal(
      (await h.outbox("toko.product.v1.ProductCreated")).filter((e) => e.subject === product.id).length,
      1,
    );
  });

  test("only sellers with a shop can create; non-owners cannot edit (403), drafts are hidden (404)", async () => {
    await rejectsWithCode(
      h.as("no-shop", ["buyer", "seller"]).createProduct(tshirt("X", { categoryId: kaosPria })),
      "NO_SHOP",
    );
    await rejectsWithCode(
      h.as("buyer-only").createProduct(tshirt("X", { categoryId: kaosPria })),
      "FORBIDDEN",
    );
    const owner = await h.newSeller();
    const other = await h.newSeller();
    const { product } = await owner.client.createProduct(tshirt("OWN", { categoryId: kaosPria }));
    const id = product?.id ?? "";

    // The owner through an app granted no `seller` scope: the role alone writes nothing.
    const unscoped = h.svc.client(ProductServiceClient, {
      principal: testPrincipal(owner.id, ["buyer", "seller"], ["buyer"]),
    });
    await rejectsWithCode(unscoped.createProduct(tshirt("APP", { categoryId: kaosPria })), "FORBIDDEN");
    await rejectsWithCode(unscoped.updateProduct({ productId: id, title: "Diubah aplikasi" }), "FORBIDDEN");
    await rejectsWithCode(unscoped.archiveProduct({ productId: id }), "FORBIDDEN");
    assert.equal(
      (await h.anonymous.getProduct({ productId: id })).product?.status,
      ProductStatus.PRODUCT_STATUS_ACTIVE,
    );
    await rejectsWithCode(other.client.updateProduct({ productId: id, title: "Dibajak" }), "FORBIDDEN");
    await rejectsWithCode(other.client.archiveProduct({ productId: id }), "FORBIDDEN");
    await rejectsWithCode(
      other.client.createPriceSchedule({ productId: id, sku: "OWN-M", percentOff: 10, startsAt: new Date() }),
      "FORBIDDEN",
    );
    const { product: draft } = await owner.client.createProduct(
      tshirt("DRAFT", { categoryId: kaosPria, status: ProductStatus.PRODUCT_STATUS_DRAFT }),
    );
    const draftId = draft?.id ?? "";
    await rejectsWithCode(other.client.updateProduct({ productId: draftId, title: "Dibajak" }), "NOT_FOUND");
    await rejectsWithCode(h.anonymous.getProduct({ productId: draftId }), "NOT_FOUND");
    assert.equal((await owner.client.getProduct({ productId: draftId })).product?.id, draftId);
    assert.equal(
      (await h.anonymous.getProduct({ productId: id })).product?.title,
      "Kaos Polos Katun Combed 30s",
    );
    await rejectsWithCode(h.anonymous.updateProduct({ productId: id, title: "x" }), "UNAUTHENTICATED");
  });

  test("BatchGetProducts: public pages in request order, drafts and unknown ids listed as missing", async () => {
    const seller = await h.newSeller();
    const make = async (sku: string, status = ProductStatus.PRODUCT_STATUS_ACTIVE) =>
      (await seller.client.createProduct(tshirt(sku, { categoryId: kaosPria, status }))).product?.id ?? "";
    const [a, b, draft] = [
      await make("BA"),
      await make("BB"),
      await make("BD", ProductStatus.PRODUCT_STATUS_DRAFT),
    ];
    await seller.client.archiveProduct({ productId: b });
    const unknown = "0190a0b0-0000-7000-8000-000000000000";
    // Drafts stay hidden even from their owner here: the batch is the public view.
    const res = await seller.client.batchGetProducts({ productIds: [b, draft, a.toUpperCase(), unknown, a] });
    assert.deepEqual(
      res.products.map((p) => [p.product?.id, p.product?.status]),
      [
        [b, ProductStatus.PRODUCT_STATUS_ARCHIVED],
        [a, ProductStatus.PRODUCT_STATUS_ACTIVE],
      ],
    );
    assert.deepEqual(res.missingIds, [draft, unknown]);
    assert.equal(res.products[1]?.cacheMaxAgeMs, undefined, "nothing scheduled");
    assert.deepEqual(await h.anonymous.batchGetProducts({ productIds: [] }), {
      products: [],
      missingIds: [],
    });
    const bad = await rejectsWithCode(
      h.anonymous.batchGetProducts({ productIds: [a, "nope"] }),
      "VALIDATION_FAILED",
    );
    assert.equal(bad.violations[0]?.field, "product_ids[1]");
    await rejectsWithCode(
      h.anonymous.batchGetProducts({ productIds: Array.from({ length: 101 }, () => a) }),
      "VALIDATION_FAILED",
    );
  });

  test("SKUs are unique within a shop (any case), not across shops", async () => {
    const a = await h.newSeller();
    const b = await h.newSeller();
    await a.client.createProduct(tshirt("SKU1", { categoryId: kaosPria }));
    const before = await countRows(h.db.pool, "products");
    const clash = await rejectsWithCode(
      a.client.createProduct(tshirt("sku1", { categoryId: kaosPria, title: "Produk lain" })),
      "SKU_TAKEN",
    );
    assert.equal(clash.violations[0]?.field, "variants[0].sku");
    assert.equal(await countRows(h.db.pool, "products"), before);
    await b.client.createProduct(tshirt("SKU1", { categoryId: kaosPria }));
    const v = tshirt("DUP", { categoryId: kaosPria }).variants;
    await rejectsWithCode(
      a.client.createProduct(
        tshirt("DUP", { categoryId: kaosPria, variants: [v[0]!, { ...v[1]!, sku: "DUP-M" }] }),
      ),
      "VALIDATION_FAILED",
    );
  });

  test("bad input is refused with the field named and nothing changes", async () => {
    const seller = await h.newSeller();
    const counts = async () => [
      await countRows(h.db.pool, "products"),
      await countRows(h.db.pool, "variants"),
      await countRows(h.db.pool, "kit_outbox"),
      await countRows(h.db.pool, "price_history"),
    ];
    const before = await counts();
    const v = tshirt("BAD", { categoryId: kaosPria }).variants;
    const cases: [Parameters<typeof tshirt>[1], string, string][] = [
      [
        { variants: [{ ...v[0]!, price: { amount: -5, currency: "IDR" } }] },
        "VALIDATION_FAILED",
        "variants[0].price",
      ],
      [{ description: "x".repeat(100_000) }, "VALIDATION_FAILED", "description"],
      [{ categoryId: "99999" }, "UNKNOWN_CATEGORY", "category_id"],
      [{ categoryId: "abc" }, "VALIDATION_FAILED", "category_id"],
      [{ weightGrams: 0 }, "VALIDATION_FAILED", "weight_grams"],
    ];
    for (const [over, code, field] of cases) {
      const error = await rejectsWithCode(
        seller.client.createProduct(tshirt("BAD", { categoryId: kaosPria, ...over })),
        code,
      );
      assert.ok(
        error.violations.some((x) => x.field === field),
        `${code} names ${field}`,
      );
    }
    await rejectsWithCode(seller.client.getProduct({ productId: "not-an-id" }), "VALIDATION_FAILED");
    await rejectsWithCode(
      seller.client.updateProduct({ productId: "1; DROP TABLE products" }),
      "VALIDATION_FAILED",
    );
    await rejectsWithCode(h.anonymous.getShop({ slug: "", shopId: "zzz" }), "VALIDATION_FAILED");
    const { product } = await seller.client.createProduct(tshirt("GOOD", { categoryId: kaosPria }));
    const mid = await counts();
    await rejectsWithCode(
      seller.client.updateProduct({
        productId: product?.id ?? "",
        title: "Judul baru",
        variants: { variants: [{ ...v[0]!, price: { amount: 0, currency: "IDR" } }] },
      }),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(await counts(), mid);
    assert.equal(
      (await h.anonymous.getProduct({ productId: product?.id ?? "" })).product?.title,
      "Kaos Polos Katun Combed 30s",
    );
    assert.deepEqual(
      before.map((n, i) => (mid[i] ?? 0) - n),
      [1, 2, 1, 2],
      "only the good product was written",
    );
  });

  test("updating a base price publishes PriceChanged; archiving hides it from lists", async () => {
    const seller = await h.newSeller();
    const { product } = await seller.client.createProduct(tshirt("UPD", { categoryId: kaosPria }));
    const id = product?.id ?? "";
    const v = tshirt("UPD", { categoryId: kaosPria }).variants;
    const { product: updated } = await seller.client.updateProduct({
      productId: id,
      variants: { variants: [{ ...v[0]!, price: { amount: 55_000, currency: "IDR" } }, v[1]!] },
    });
    assert.equal(updated?.variants[0]?.price?.amount, 55_000);
    assert.equal(updated?.variants[0]?.id, product?.variants[0]?.id, "a kept SKU keeps its variant id");
    const changes = (await h.outbox("toko.product.v1.PriceChanged")).filter((e) => e.subject === id);
    assert.equal(changes.length, 1);
    const { entries } = await h.anonymous.getPriceHistory({ productId: id, sku: "UPD-M" });
    assert.deepEqual(
      entries.map((e) => [e.price?.amount, e.previousPrice?.amount, e.reason]),
      [
        [55_000, 59_000, "base_price"],
        [59_000, undefined, "base_price"],
      ],
    );
    const listed = async () =>
      (await h.anonymous.listProducts({ shopId: seller.shop.id, categoryId: "" })).products.map((p) => p.id);
    assert.deepEqual(await listed(), [id]);
    assert.equal((await h.anonymous.getShop({ slug: seller.shop.slug, shopId: "" })).shop?.productCount, 1);
    const { product: archived } = await seller.client.archiveProduct({ productId: id });
    assert.equal(archived?.status, ProductStatus.PRODUCT_STATUS_ARCHIVED);
    assert.deepEqual(await listed(), []);
    assert.equal(
      (await h.outbox("toko.product.v1.ProductArchived")).filter((e) => e.subject === id).length,
      1,
    );
    await rejectsWithCode(seller.client.updateProduct({ productId: id, title: "Lagi" }), "PRODUCT_ARCHIVED");
  });

  test("lists page with cursors and filter by category subtree", async () => {
    const seller = await h.newSeller();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { product } = await seller.client.createProduct(tshirt(`PG${i}`, { categoryId: kaosPria }));
      ids.unshift(product?.id ?? "");
    }
    const first = await h.anonymous.listProducts({
      shopId: seller.shop.id,
      categoryId: "",
      page: { limit: 3, cursor: "" },
    });
    const second = await h.anonymous.listProducts({
      shopId: seller.shop.id,
      categoryId: "",
      page: { limit: 3, cursor: first.page?.nextCursor ?? "" },
    });
    assert.deepEqual(
      [...first.products, ...second.products].map((p) => p.id),
      ids,
    );
    assert.equal(second.page?.nextCursor, "");
    const { category } = await h.anonymous.getCategory({ categoryId: "", slug: "fashion-pria" });
    const byRoot = await h.anonymous.listProducts({
      shopId: seller.shop.id,
      categoryId: category?.id ?? "",
      page: { limit: 100, cursor: "" },
    });
    assert.equal(byRoot.products.length, 5);
    await rejectsWithCode(
      h.anonymous.listProducts({ shopId: "", categoryId: "", page: { limit: 1000, cursor: "" } }),
      "VALIDATION_FAILED",
    );
  });

  test("a second shop for the same user and a taken slug are conflicts", async () => {
    const seller = await h.newSeller();
    await rejectsWithCode(
      seller.client.openShop({
        name: "Lagi",
        slug: "toko-lain-xyz",
        city: "Bandung",
        province: "Jawa Barat",
        description: "",
      }),
      "SHOP_ALREADY_OPEN",
    );
    await rejectsWithCode(
      h.as("someone-new").openShop({
        name: "Tiruan",
        slug: seller.shop.slug,
        city: "Bogor",
        province: "Jawa Barat",
        description: "",
      }),
      "SLUG_TAKEN",
    );
    await rejectsWithCode(
      h
        .as("someone-else")
        .openShop({ name: "X", slug: "Bad Slug!", city: "", province: "", description: "" }),
      "VALIDATION_FAILED",
    );
    assert.ok(h.granted.includes(seller.id));
  });
});
