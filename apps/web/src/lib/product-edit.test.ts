import assert from "node:assert/strict";
import { test } from "node:test";
import type { Product } from "./api-types.ts";
import {
  categoryLeaves,
  detailsOf,
  detailsPatch,
  imagesFromText,
  localInputToIso,
  newRow,
  readIds,
  rowsOf,
  scheduleState,
  trackDrafts,
  variantsPayload,
} from "./product-edit.ts";

const idr = (amount: number) => ({ amount, currency: "IDR" });
const product: Product = {
  id: "p1",
  shop_id: "s1",
  title: "Tas Ransel",
  description: "Ransel 25 liter",
  category_id: "12",
  condition: "new",
  weight_grams: 800,
  images: ["https://img.example/a.jpg"],
  status: "active",
  variants: [
    {
      id: "v1",
      sku: "TAS-H",
      options: { Warna: "Hitam" },
      price: idr(150_000),
      base_price: idr(185_000),
      stock_status: "in_stock",
    },
    { id: "v2", sku: "TAS-M", options: { Warna: "Merah" }, price: idr(190_000), stock_status: "unknown" },
  ],
  rating: { average: 0, count: 0 },
};

test("unchanged details make an empty patch; changes are trimmed and sent alone", () => {
  assert.deepEqual(detailsPatch(product, detailsOf(product)), {});
  const d = { ...detailsOf(product), title: "  Tas Ransel Anti Air ", weight_grams: "900" };
  assert.deepEqual(detailsPatch(product, d), { title: "Tas Ransel Anti Air", weight_grams: 900 });
  assert.deepEqual(detailsPatch(product, { ...detailsOf(product), weight_grams: "8,5" }), {
    weight_grams: -1,
  });
});

test("images are one URL per line; a reordered or removed image changes the list", () => {
  assert.deepEqual(imagesFromText(" https://a/1.jpg \n\n https://a/2.jpg\r\n"), [
    "https://a/1.jpg",
    "https://a/2.jpg",
  ]);
  assert.deepEqual(detailsPatch(product, { ...detailsOf(product), images: "" }), { images: [] });
  assert.deepEqual(
    detailsPatch(product, { ...detailsOf(product), images: "https://img.example/a.jpg\n" }),
    {},
  );
});

test("rows take the base price (not a running discount), new rows reuse the option names", () => {
  const rows = rowsOf(product);
  assert.equal(rows[0]?.price, "185000");
  assert.equal(rows[1]?.price, "190000");
  assert.deepEqual(newRow(rows, 3), {
    key: "new-3",
    existing: false,
    sku: "",
    options: [{ name: "Warna", value: "" }],
    price: "",
    active: true,
  });
  assert.deepEqual(newRow([], 1).options, [{ name: "", value: "" }]);
});

test("the variants payload keeps active rows (deactivated ones are left out) and parses prices", () => {
  const rows = rowsOf(product);
  const edited = [
    { ...(rows[0] as (typeof rows)[0]), price: "175.000" },
    { ...(rows[1] as (typeof rows)[0]), active: false },
  ];
  assert.deepEqual(variantsPayload(edited), {
    ok: true,
    variants: [{ sku: "TAS-H", options: { Warna: "Hitam" }, price: { amount: 175_000, currency: "IDR" } }],
  });
});

test("variant rows that the API would refuse are caught with what to fix", () => {
  const rows = rowsOf(product);
  assert.deepEqual(variantsPayload(rows.map((r) => ({ ...r, active: false }))), {
    ok: false,
    problems: [{ kind: "noActive" }],
  });
  const fresh = {
    ...newRow(rows, 3),
    sku: "tas-h",
    options: [{ name: "Warna", value: "Biru" }],
    price: "abc",
  };
  const blank = { ...newRow(rows, 4), options: [{ name: "Warna", value: "" }], price: "1000" };
  assert.deepEqual(variantsPayload([...rows, fresh, blank]), {
    ok: false,
    problems: [
      { kind: "skuRepeated", sku: "tas-h" },
      { kind: "badPrice", sku: "tas-h", row: 3 },
      { kind: "skuMissing", row: 4 },
      { kind: "optionIncomplete", row: 4 },
    ],
  });
});

test("a schedule is upcoming, running or ended", () => {
  const now = new Date("2026-12-05T00:00:00Z");
  assert.equal(scheduleState({ starts_at: "2026-12-06T00:00:00Z", ends_at: null }, now), "upcoming");
  assert.equal(scheduleState({ starts_at: "2026-12-01T00:00:00Z", ends_at: null }, now), "running");
  assert.equal(
    scheduleState({ starts_at: "2026-12-01T00:00:00Z", ends_at: "2026-12-05T00:00:00Z" }, now),
    "ended",
  );
  assert.equal(
    scheduleState({ starts_at: "2026-12-01T00:00:00Z", ends_at: "2026-12-09T00:00:00Z" }, now),
    "running",
  );
});

test("a datetime-local value becomes an instant; empty or invalid is undefined", () => {
  assert.equal(localInputToIso(""), undefined);
  assert.equal(localInputToIso("not a date"), undefined);
  assert.equal(localInputToIso("2026-12-05T10:30"), new Date(2026, 11, 5, 10, 30).toISOString());
});

test("categories are offered by their leaves, named with their path", () => {
  const tree = [
    {
      id: "1",
      slug: "fashion",
      name: "Fashion",
      children: [{ id: "2", slug: "tas", name: "Tas", children: [] }],
    },
    { id: "3", slug: "buku", name: "Buku", children: [] },
  ];
  assert.deepEqual(categoryLeaves(tree), [
    { id: "2", name: "Fashion › Tas" },
    { id: "3", name: "Buku" },
  ]);
});

test("drafts are kept by id: a draft is added first, an activated or archived one dropped", () => {
  let kept = trackDrafts([], "p1", "draft");
  kept = trackDrafts(kept, "p2", "draft");
  assert.deepEqual(kept, ["p2", "p1"]);
  assert.deepEqual(trackDrafts(kept, "p1", "draft"), ["p1", "p2"]);
  assert.deepEqual(trackDrafts(kept, "p2", "active"), ["p1"]);
  assert.deepEqual(trackDrafts(kept, "p1", "archived"), ["p2"]);
  assert.deepEqual(readIds(JSON.stringify(kept)), kept);
  assert.deepEqual(readIds('["a", 1, null]'), ["a"]);
  assert.deepEqual(readIds("{"), []);
  assert.deepEqual(readIds(null), []);
});
