import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Product, ProductStatus } from "@toko/contracts/toko/product/v1/product";
import { type SearchRequest, type SearchResponse, SortOrder } from "@toko/contracts/toko/search/v1/search";
import { uuidv7 } from "@toko/kit";
import { countRows, rejectsWithCode, testPrincipal, waitFor, waitForValue } from "@toko/testing";
import { DEMO_PRODUCTS, type Harness, startHarness } from "./harness.ts";

let h: Harness;
const catalog: Product[] = [];

before(async () => {
  h = await startHarness();
  // The one command that rebuilds the projection from the catalog.
  await h.reindex();
  let cursor = "";
  do {
    const res = await h.productClient.listProducts(
      { shopId: "", categoryId: "", page: { limit: 100, cursor } },
      { principal: null },
    );
    catalog.push(...res.products);
    cursor = res.page?.nextCursor ?? "";
  } while (cursor);
});
after(async () => {
  await h?.stop();
});

const request = (over: Partial<SearchRequest>): SearchRequest => ({
  query: "",
  categoryId: "",
  minRating: 0,
  city: "",
  inStock: false,
  sort: SortOrder.SORT_ORDER_RELEVANCE,
  page: { limit: 20, cursor: "" },
  ...over,
});
const search = (over: Partial<SearchRequest>) => h.search().search(request(over));

/** Every page of a search. */
async function everyPage(over: Partial<SearchRequest>): Promise<SearchResponse["hits"]> {
  const hits: SearchResponse["hits"] = [];
  let cursor = "";
  for (let i = 0; i < 100; i++) {
    const res = await search({ ...over, page: { limit: 60, cursor } });
    hits.push(...res.hits);
    cursor = res.page?.nextCursor ?? "";
    if (!cursor) return hits;
  }
  throw new Error("too many pages");
}

describe("the projection rebuilt from the demo catalogue", () => {
  test("indexes every active product of the catalog", async () => {
    assert.equal(catalog.length, DEMO_PRODUCTS);
    assert.equal(await countRows(h.searchDb.pool, "search_products", { active: true }), DEMO_PRODUCTS);
  });
});

// The relevance set: queries with the titles their top results must have on the demo catalogue
// (product service seed 20240817, 600 products).
const RELEVANCE: { query: string; top: number; title: RegExp; corrected?: string }[] = [
  { query: "sepatu running", top: 5, title: /^Sepatu Running/ },
  { query: "laptop gaming", top: 5, title: /^Laptop Gaming/ },
  { query: "kaos polos", top: 5, title: /^Kaos Polos/ },
  { query: "iphone 15", top: 4, title: /^iPhone 15 / },
  { query: "power bank 20000mah", top: 3, title: /^Power Bank 20000mAh/ },
  { query: "mouse wireless logitech", top: 1, title: /^Mouse Wireless Logitech$/ },
  // Typos.
  { query: "mouse wireles", top: 5, title: /^Mouse Wireless/ },
  { query: "sepatu lri", top: 5, title: /^Sepatu Running/, corrected: "sepatu lari" },
  { query: "keybord mechanical", top: 3, title: /^Keyboard Mechanical/, corrected: "keyboard mechanical" },
  // Synonyms: hp ↔ handphone ↔ smartphone, laptop ↔ notebook, lari ↔ running.
  { query: "handphone vivo", top: 3, title: /^(HP|Smartphone) vivo/ },
  { query: "smartphone infinix", top: 1, title: /^(HP|Smartphone) Infinix/ },
  { query: "sepatu lari", top: 5, title: /^Sepatu Running/ },
  // Indonesian particle: "sepatunya" is "sepatu".
  { query: "sepatunya", top: 5, title: /^Sepatu / },
];

describe("relevance", () => {
  for (const c of RELEVANCE) {
    test(`"${c.query}" ranks ${c.title} first`, async () => {
      const res = await search({ query: c.query, page: { limit: c.top, cursor: "" } });
      assert.equal(res.hits.length, c.top, `${c.query}: ${res.total} hits`);
      for (const hit of res.hits)
        assert.match(hit.title, c.title, `${c.query}: ${res.hits.map((x) => x.title)}`);
      assert.equal(res.correctedQuery, c.corrected ?? "");
    });
  }

  test("highlights matched words, HTML-escaped", async () => {
    const res = await search({ query: "sepatu lri" });
    const first = res.hits[0];
    assert.ok(first);
    assert.match(first.highlight, /^<em>Sepatu<\/em> <em>Running<\/em> /);
  });

  test("a title match outranks a description-only match", async () => {
    // "bandung" is a city (in every description of a Bandung shop) and no title.
    const res = await search({ query: "garansi" });
    assert.ok(res.total > 0);
    const sneakers = await search({ query: "sneakers" });
    assert.match(sneakers.hits[0]?.title ?? "", /Sneakers/);
  });
});

/** Words of a product as the catalog shows it: title, description, attribute values, categories, shop. */
function productWords(p: Product): string[] {
  const text = [
    p.title,
    p.description,
    ...p.attributes.map((a) => a.value),
    ...p.breadcrumbs.map((b) => b.name),
    p.shopName,
  ].join(" ");
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
}
const minPrice = (p: Product) => Math.min(...p.variants.map((v) => Number(v.price?.amount ?? 0)));

describe("facets and filters against a brute-force count", () => {
  const word = "polos"; // in no synonym group
  test(`"${word}": total and facet counts equal counting the catalog`, async () => {
    const expected = catalog.filter((p) => productWords(p).some((w) => w.startsWith(word)));
    assert.ok(expected.length > 3);
    const res = await search({ query: word });
    assert.equal(res.total, expected.length);
    const count = <K>(key: (p: Product) => K) => {
      const m = new Map<K, number>();
      for (const p of expected) m.set(key(p), (m.get(key(p)) ?? 0) + 1);
      return m;
    };
    const byCategory = count((p) => p.categoryId);
    assert.deepEqual(
      new Map(res.facets?.category.map((f) => [f.value, f.count])),
      byCategory,
      "category facet",
    );
    assert.deepEqual(
      new Map(res.facets?.city.map((f) => [f.value, f.count])),
      count((p) => p.shopCity),
      "city",
    );
    const bounds = [0, 50_000, 100_000, 250_000, 500_000, 1_000_000, 5_000_000];
    const bucket = (p: Product) => {
      const price = minPrice(p);
      let i = bounds.length - 1;
      while ((bounds[i] ?? 0) > price) i--;
      return i;
    };
    const byBucket = count(bucket);
    assert.deepEqual(
      res.facets?.priceRange.map((f) => f.count),
      [...byBucket.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n),
      "price facet",
    );
    // Every page together holds exactly the expected products.
    const all = await everyPage({ query: word, sort: SortOrder.SORT_ORDER_PRICE_ASC });
    assert.deepEqual(new Set(all.map((x) => x.productId)), new Set(expected.map((p) => p.id)));
    const prices = all.map((x) => Number(x.price?.amount));
    assert.deepEqual(
      prices,
      [...prices].sort((a, b) => a - b),
      "price ascending",
    );
  });

  test("category subtree, city, price range and sorting filter like the brute force", async () => {
    // A root category: the subtree filter must include its leaves.
    const sample = catalog.find((p) => p.breadcrumbs.length >= 2);
    assert.ok(sample);
    const root = sample.breadcrumbs[0]?.id ?? "";
    const city = sample.shopCity;
    const expected = catalog.filter(
      (p) => p.breadcrumbs.some((b) => b.id === root) && minPrice(p) >= 50_000 && minPrice(p) <= 2_000_000,
    );
    const res = await search({ categoryId: root, minPrice: 50_000, maxPrice: 2_000_000 });
    assert.equal(res.total, expected.length);
    const inCity = await everyPage({
      categoryId: root,
      city: city.toUpperCase(),
      sort: SortOrder.SORT_ORDER_NEWEST,
    });
    assert.deepEqual(
      new Set(inCity.map((x) => x.productId)),
      new Set(
        catalog
          .filter((p) => p.breadcrumbs.some((b) => b.id === root) && p.shopCity === city)
          .map((p) => p.id),
      ),
    );
    const desc = await everyPage({ categoryId: root, sort: SortOrder.SORT_ORDER_PRICE_DESC });
    const prices = desc.map((x) => Number(x.price?.amount));
    assert.deepEqual(
      prices,
      [...prices].sort((a, b) => b - a),
    );
    assert.equal(desc.length, new Set(desc.map((x) => x.productId)).size, "no product on two pages");
  });

  test("relevance pages neither repeat nor skip", async () => {
    const all = await everyPage({ query: "sepatu" });
    const res = await search({ query: "sepatu" });
    assert.equal(all.length, res.total);
    assert.equal(new Set(all.map((x) => x.productId)).size, all.length);
  });
});

describe("bad input is a 4xx or an empty result", () => {
  test("too long, empty, inverted or negative prices, bad rating, unknown sort, foreign cursor", async () => {
    await rejectsWithCode(search({ query: "a".repeat(1_000) }), "VALIDATION_FAILED");
    await rejectsWithCode(search({ query: "   " }), "VALIDATION_FAILED");
    await rejectsWithCode(
      search({ query: "kaos", minPrice: 100_000, maxPrice: 50_000 }),
      "VALIDATION_FAILED",
    );
    await rejectsWithCode(search({ query: "kaos", minPrice: -1 }), "VALIDATION_FAILED");
    await rejectsWithCode(search({ query: "kaos", minRating: 6 }), "VALIDATION_FAILED");
    await rejectsWithCode(search({ query: "kaos", sort: 99 as SortOrder }), "VALIDATION_FAILED");
    await rejectsWithCode(search({ query: "kaos", page: { limit: 500, cursor: "" } }), "VALIDATION_FAILED");
    await rejectsWithCode(
      search({ query: "kaos", page: { limit: 5, cursor: "not-a-cursor" } }),
      "INVALID_CURSOR",
    );
    const other = await search({ query: "sepatu", page: { limit: 1, cursor: "" } });
    await rejectsWithCode(
      search({ query: "kaos", page: { limit: 1, cursor: other.page?.nextCursor ?? "" } }),
      "INVALID_CURSOR",
    );
  });

  test("emoji-only and SQL-looking queries match nothing and change nothing", async () => {
    const before = await countRows(h.searchDb.pool, "search_products");
    const emoji = await search({ query: "👟🔥😀" });
    assert.deepEqual([emoji.total, emoji.hits.length], [0, 0]);
    for (const q of [
      "'; DROP TABLE search_products; --",
      "kaos' OR 1=1 --",
      "a:* | b & !c",
      "\\x00 ) ( :*",
    ]) {
      const res = await search({ query: q });
      assert.ok(res.total >= 0);
    }
    assert.equal(await countRows(h.searchDb.pool, "search_products"), before);
  });
});

describe("suggest", () => {
  test("completes a prefix with categories and product phrases", async () => {
    const { suggestions } = await h.search().suggest({ query: "sepa", limit: 6 });
    assert.ok(suggestions.length > 0);
    assert.ok(suggestions.some((s) => s.kind === "category" && s.text === "Sepatu Pria"));
    for (const s of suggestions.filter((x) => x.kind === "query")) assert.match(s.text, /^sepatu /);
    const typo = await h.search().suggest({ query: "sepatu runn", limit: 5 });
    assert.ok(typo.suggestions.every((s) => s.text.startsWith("sepatu running")));
    assert.deepEqual((await h.search().suggest({ query: "🙂", limit: 5 })).suggestions, []);
    await rejectsWithCode(h.search().suggest({ query: "x".repeat(101), limit: 5 }), "VALIDATION_FAILED");
  });
});

describe("kept current from events", () => {
  test("a created product is searchable within seconds; updates, prices, stock and archival follow", async () => {
    const owner = `seller-${uuidv7()}`;
    const as = { principal: testPrincipal(owner, ["buyer", "seller"]) };
    const { shop } = await h.productClient.openShop(
      {
        name: "Kopi Nusantara",
        slug: `kopi-${uuidv7().slice(-8)}`,
        city: "Takengon",
        province: "Aceh",
        description: "",
      },
      as,
    );
    assert.ok(shop);
    const leaf = catalog[0]?.categoryId ?? "";
    const { product } = await h.productClient.createProduct(
      {
        title: "Kopi Gayo Arabika Wine",
        description: "Biji kopi sangrai",
        categoryId: leaf,
        condition: 1,
        weightGrams: 250,
        lengthCm: 0,
        widthCm: 0,
        heightCm: 0,
        minOrder: 1,
        images: ["https://img.example/kopi.jpg"],
        attributes: [{ name: "Merek", value: "Gayo Mountain" }],
        variants: [{ sku: "GAYO-250", options: [], price: { amount: 95_000, currency: "IDR" } }],
        status: ProductStatus.PRODUCT_STATUS_ACTIVE,
      },
      as,
    );
    assert.ok(product);
    const found = await waitForValue(async () => {
      const res = await search({ query: "gayo arabika" });
      return res.hits[0]?.productId === product.id ? res.hits[0] : undefined;
    }, "the new product to be searchable");
    assert.equal(found.city, "Takengon");
    assert.equal(found.shopName, "Kopi Nusantara");
    assert.equal(Number(found.price?.amount), 95_000);
    assert.equal(found.imageUrl, "https://img.example/kopi.jpg");

    // A new title and price.
    await h.productClient.updateProduct(
      {
        productId: product.id,
        title: "Kopi Gayo Luwak",
        variants: {
          variants: [{ sku: "GAYO-250", options: [], price: { amount: 120_000, currency: "IDR" } }],
        },
      } as never,
      as,
    );
    await waitFor(async () => {
      const res = await search({ query: "kopi luwak" });
      return res.hits[0]?.productId === product.id && Number(res.hits[0]?.price?.amount) === 120_000;
    }, "the update to reach search");
    assert.equal((await search({ query: "arabika wine" })).total, 0);

    // Stock: out, then back in.
    await h.stock(shop.id, "gayo-250", 0);
    assert.equal((await search({ query: "kopi luwak", inStock: true })).total, 0);
    await h.stock(shop.id, "GAYO-250", 7);
    assert.equal((await search({ query: "kopi luwak", inStock: true })).total, 1);

    await h.productClient.archiveProduct({ productId: product.id }, as);
    await waitFor(
      async () => (await search({ query: "kopi luwak" })).total === 0,
      "the archived product to leave",
    );
  });
});

describe("recommendations", () => {
  test("similar is the same category, most similar title first; bought together from completed orders", async () => {
    const shoe = catalog.find((p) => p.title.startsWith("Sepatu Running"));
    const mouse = catalog.find((p) => p.title.startsWith("Mouse Wireless"));
    assert.ok(shoe && mouse);
    const guest = h.search();
    const before = await guest.getRecommendations({ productId: shoe.id, forMe: false, limit: 5 });
    const [similar, together] = before.sections;
    assert.equal(similar?.kind, "similar");
    assert.equal(similar?.source, "content");
    for (const item of similar?.items ?? []) assert.equal(item.categoryId, shoe.categoryId);
    assert.match(similar?.items[0]?.title ?? "", /^Sepatu Running/);
    assert.ok(!similar?.items.some((i) => i.productId === shoe.id));
    assert.equal(together?.kind, "bought_together");
    assert.equal(together?.source, "category_best_sellers", "no orders yet: best sellers of the category");

    const buyer = `buyer-${uuidv7()}`;
    await h.orderCompleted({
      checkoutId: uuidv7(),
      buyerId: buyer,
      shopId: shoe.shopId,
      productIds: [shoe.id, mouse.id],
    });
    const after = await guest.getRecommendations({ productId: shoe.id, forMe: false, limit: 5 });
    assert.equal(after.sections[1]?.source, "orders");
    assert.equal(after.sections[1]?.items[0]?.productId, mouse.id);

    // For the buyer: from what they bought (categories of shoe and mouse), never what they bought.
    const mine = await h.search(buyer).getRecommendations({ productId: "", forMe: true, limit: 10 });
    assert.equal(mine.sections[0]?.kind, "for_you");
    assert.equal(mine.sections[0]?.source, "history");
    const items = mine.sections[0]?.items ?? [];
    assert.ok(items.length > 0);
    for (const i of items) {
      assert.ok([shoe.categoryId, mouse.categoryId].includes(i.categoryId));
      assert.ok(![shoe.id, mouse.id].includes(i.productId));
    }
    // A stranger with no history gets best sellers; a guest is refused.
    const stranger = await h
      .search(`nobody-${uuidv7()}`)
      .getRecommendations({ productId: "", forMe: true, limit: 3 });
    assert.equal(stranger.sections[0]?.source, "best_sellers");
    await rejectsWithCode(
      guest.getRecommendations({ productId: "", forMe: true, limit: 3 }),
      "UNAUTHENTICATED",
    );
    await rejectsWithCode(
      guest.getRecommendations({ productId: "", forMe: false, limit: 3 }),
      "VALIDATION_FAILED",
    );
  });

  test("a wishlist seeds a signed-in user's recommendations", async () => {
    const { user } = await h.users.register(
      { email: `w-${uuidv7()}@example.com`, password: "correct horse battery", name: "Wati", phone: "" },
      { principal: null },
    );
    assert.ok(user);
    const iphone = catalog.find((p) => p.title.startsWith("iPhone"));
    assert.ok(iphone);
    await h.users.addToWishlist({ productId: iphone.id }, { principal: testPrincipal(user.id) });
    const res = await h.search(user.id).getRecommendations({ productId: "", forMe: true, limit: 5 });
    assert.equal(res.sections[0]?.source, "history");
    for (const i of res.sections[0]?.items ?? []) assert.equal(i.categoryId, iphone.categoryId);
  });
});
