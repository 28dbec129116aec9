import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ReviewPosted } from "@toko/contracts/toko/product/v1/events";
import type { Product } from "@toko/contracts/toko/product/v1/product";
import { countRows, rejectsWithCode } from "@toko/testing";
import { type Harness, startHarness, tshirt } from "./harness.ts";

let h: Harness;
let kaos = "";
before(async () => {
  h = await startHarness();
  kaos = (await h.anonymous.getCategory({ categoryId: "", slug: "kaos-pria" })).category?.id ?? "";
});
after(() => h.stop());

test("only the buyer of a completed order may review, once per purchased line", async () => {
  const seller = await h.newSeller();
  const { product } = await seller.client.createProduct(tshirt("REV", { categoryId: kaos }));
  const id = product?.id ?? "";
  const variantId = product?.variants[0]?.id ?? "";
  const buyer = h.as("buyer-rev-1");
  const review = { productId: id, rating: 5, text: "Bahan adem, pengiriman cepat", orderId: "", lineId: "" };
  await rejectsWithCode(buyer.postReview(review), "REVIEW_NOT_ALLOWED");
  await rejectsWithCode(h.anonymous.postReview(review), "UNAUTHENTICATED");
  assert.equal(await countRows(h.db.pool, "reviews"), 0);

  const { orderId, envelope } = await h.completeOrder("buyer-rev-1", seller.shop.id, [
    { productId: id, variantId, quantity: 2 },
  ]);
  await rejectsWithCode(h.as("someone-else").postReview(review), "REVIEW_NOT_ALLOWED");
  await rejectsWithCode(buyer.postReview({ ...review, rating: 6 }), "VALIDATION_FAILED");
  await rejectsWithCode(buyer.postReview({ ...review, text: "x".repeat(2_001) }), "VALIDATION_FAILED");
  const posted = await buyer.postReview(review);
  assert.equal(posted.review?.orderId, orderId);
  assert.equal(posted.review?.variantLabel, "M");
  assert.deepEqual(posted.productRating, { average: 5, count: 1 });
  await rejectsWithCode(buyer.postReview(review), "ALREADY_REVIEWED");

  // A redelivered OrderCompleted grants nothing new and does not double the sold count.
  await h.bus.publish([envelope]);
  await rejectsWithCode(buyer.postReview(review), "ALREADY_REVIEWED");
  assert.equal((await h.anonymous.getProduct({ productId: id })).product?.soldCount, 2);

  const events = (await h.outbox("toko.product.v1.ReviewPosted")).map((e) => ReviewPosted.decode(e.payload));
  assert.equal(events.filter((e) => e.productId === id).length, 1);
  const { reviews, rating } = await h.anonymous.listReviews({ productId: id });
  assert.equal(reviews[0]?.text, "Bahan adem, pengiriman cepat");
  assert.deepEqual(rating, { average: 5, count: 1 });
});

test("aggregates per product and shop stay consistent after many concurrent reviews", async () => {
  const seller = await h.newSeller();
  const products: Product[] = [];
  for (const sku of ["AGG1", "AGG2"]) {
    const { product } = await seller.client.createProduct(tshirt(sku, { categoryId: kaos }));
    products.push(product!);
  }
  const buyers = Array.from({ length: 24 }, (_, i) => `agg-buyer-${i}`);
  for (const buyer of buyers) {
    await h.completeOrder(
      buyer,
      seller.shop.id,
      products.map((p) => ({ productId: p.id, variantId: p.variants[0]!.id })),
    );
  }
  const stars = (i: number, j: number) => ((i * 7 + j * 3) % 5) + 1;
  await Promise.all(
    buyers.flatMap((buyer, i) =>
      products.map((p, j) =>
        h
          .as(buyer)
          .postReview({ productId: p.id, rating: stars(i, j), text: `ulasan ${i}`, orderId: "", lineId: "" }),
      ),
    ),
  );
  const expected = (j: number) => buyers.reduce((sum, _b, i) => sum + stars(i, j), 0);
  for (const [j, p] of products.entries()) {
    const { product } = await h.anonymous.getProduct({ productId: p.id });
    assert.equal(product?.rating?.count, buyers.length);
    assert.equal(product?.rating?.average, Math.round((expected(j) / buyers.length) * 10) / 10);
  }
  const { shop } = await h.anonymous.getShop({ slug: seller.shop.slug, shopId: "" });
  assert.equal(shop?.rating?.count, buyers.length * 2);
  assert.equal(
    shop?.rating?.average,
    Math.round(((expected(0) + expected(1)) / (buyers.length * 2)) * 10) / 10,
  );
  assert.equal(shop?.productCount, 2);
  const { rows } = await h.db.pool.query<{ n: number; s: number }>(
    "SELECT count(*)::int AS n, sum(rating)::int AS s FROM reviews WHERE shop_id = $1",
    [seller.shop.id],
  );
  assert.deepEqual(rows[0], { n: buyers.length * 2, s: expected(0) + expected(1) });
});
