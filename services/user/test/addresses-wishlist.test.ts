import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type Harness, rejectsWith, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness({ USER_WISHLIST_MAX: "3" });
});
after(() => h.stop());

const home = {
  recipient: "Siti Rahma",
  phone: "0812 3456 7890",
  street: "Jl. Melati No. 5, RT 02/RW 03",
  district: "Tebet",
  city: "Jakarta Selatan",
  province: "DKI Jakarta",
  postalCode: "12810",
};

const defaults = async (client: Harness["anonymous"]) =>
  (await client.listAddresses({})).addresses.filter((a) => a.isDefault).map((a) => a.label);

describe("address book", () => {
  test("the first address is the default; a new default moves it; exactly one default always", async () => {
    const { client } = await h.newUser();
    const first = await client.createAddress({ label: "Rumah", address: home, isDefault: false });
    assert.equal(first.address?.isDefault, true);
    assert.equal(first.address?.address?.phone, "+6281234567890");
    assert.equal(first.address?.address?.latitude, undefined);
    const office = await client.createAddress({
      label: "Kantor",
      address: { ...home, street: "Jl. Sudirman Kav. 52", latitude: -6.2247, longitude: 106.8092 },
      isDefault: false,
    });
    assert.deepEqual(await defaults(client), ["Rumah"]);
    assert.equal(office.address?.address?.latitude, -6.2247);
    await client.updateAddress({
      addressId: office.address?.id ?? "",
      isDefault: true,
      clearLocation: false,
    });
    assert.deepEqual(await defaults(client), ["Kantor"]);
    await rejectsWith(
      client.updateAddress({ addressId: office.address?.id ?? "", isDefault: false, clearLocation: false }),
      "DEFAULT_ADDRESS_REQUIRED",
    );
    // Deleting the default hands it to the newest remaining address.
    const third = await client.createAddress({ label: "Kos", address: home, isDefault: false });
    await client.deleteAddress({ addressId: office.address?.id ?? "" });
    assert.deepEqual(await defaults(client), ["Kos"]);
    await client.deleteAddress({ addressId: third.address?.id ?? "" });
    assert.deepEqual(await defaults(client), ["Rumah"]);
    const list = (await client.listAddresses({})).addresses;
    assert.equal(list.length, 1);
  });

  test("a partial update changes only the given fields; clearing the location works", async () => {
    const { client } = await h.newUser();
    const created = await client.createAddress({
      label: "Rumah",
      address: { ...home, latitude: -6.2, longitude: 106.8 },
      isDefault: true,
    });
    const id = created.address?.id ?? "";
    const updated = await client.updateAddress({
      addressId: id,
      city: "Kota Bandung",
      postalCode: "40115",
      clearLocation: false,
    });
    assert.equal(updated.address?.address?.city, "Kota Bandung");
    assert.equal(updated.address?.address?.street, home.street);
    assert.equal(updated.address?.address?.latitude, -6.2);
    const cleared = await client.updateAddress({ addressId: id, clearLocation: true });
    assert.equal(cleared.address?.address?.latitude, undefined);
    const bad = await rejectsWith(
      client.updateAddress({ addressId: id, postalCode: "ABC", phone: "12", clearLocation: false }),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(bad.violations.map((v) => v.field).sort(), ["phone", "postal_code"]);
    assert.equal((await client.getAddress({ addressId: id })).address?.address?.postalCode, "40115");
  });

  test("invalid addresses are refused with field violations and nothing is stored", async () => {
    const { client } = await h.newUser();
    const error = await rejectsWith(
      client.createAddress({
        label: "",
        address: { ...home, province: "", latitude: 95, longitude: 10 },
        isDefault: false,
      }),
      "VALIDATION_FAILED",
    );
    assert.deepEqual(error.violations.map((v) => v.field).sort(), ["label", "lat", "province"]);
    assert.equal((await client.listAddresses({})).addresses.length, 0);
  });

  test("at most 20 addresses", async () => {
    const { client } = await h.newUser();
    for (let i = 0; i < 20; i++)
      await client.createAddress({ label: `A${i}`, address: home, isDefault: false });
    await rejectsWith(
      client.createAddress({ label: "A20", address: home, isDefault: false }),
      "ADDRESS_LIMIT_REACHED",
    );
    assert.equal((await client.listAddresses({})).addresses.length, 20);
    assert.equal((await defaults(client)).length, 1);
  });

  test("another user's address is NOT_FOUND for every operation and stays untouched", async () => {
    const a = await h.newUser();
    const b = await h.newUser();
    const created = await a.client.createAddress({ label: "Rumah", address: home, isDefault: true });
    const id = created.address?.id ?? "";
    await rejectsWith(b.client.getAddress({ addressId: id }), "NOT_FOUND");
    await rejectsWith(
      b.client.updateAddress({ addressId: id, city: "Hacked", clearLocation: false }),
      "NOT_FOUND",
    );
    await rejectsWith(
      b.client.updateAddress({ addressId: id, isDefault: true, clearLocation: false }),
      "NOT_FOUND",
    );
    await rejectsWith(b.client.deleteAddress({ addressId: id }), "NOT_FOUND");
    await rejectsWith(b.client.getAddress({ addressId: "'; DROP TABLE addresses; --" }), "NOT_FOUND");
    assert.equal((await b.client.listAddresses({})).addresses.length, 0);
    const mine = await a.client.getAddress({ addressId: id });
    assert.equal(mine.address?.address?.city, home.city);
    // A service principal is not a user: it cannot act on anyone's address book.
    await rejectsWith(h.service.listAddresses({}), "UNAUTHENTICATED");
  });
});

describe("wishlist", () => {
  test("add is idempotent, list is newest first with cursors, remove reports whether it removed", async () => {
    const { client } = await h.newUser();
    await client.addToWishlist({ productId: "prod_1" });
    h.clock.advance(1000);
    await client.addToWishlist({ productId: "prod_2" });
    h.clock.advance(1000);
    await client.addToWishlist({ productId: "prod_3" });
    const again = await client.addToWishlist({ productId: "prod_1" });
    assert.equal(again.item?.productId, "prod_1");
    const page1 = await client.listWishlist({ page: { limit: 2, cursor: "" } });
    assert.deepEqual(
      page1.items.map((i) => i.productId),
      ["prod_3", "prod_2"],
    );
    assert.notEqual(page1.page?.nextCursor, "");
    const page2 = await client.listWishlist({ page: { limit: 2, cursor: page1.page?.nextCursor ?? "" } });
    assert.deepEqual(
      page2.items.map((i) => i.productId),
      ["prod_1"],
    );
    assert.equal(page2.page?.nextCursor, "");
    await rejectsWith(client.addToWishlist({ productId: "prod_4" }), "WISHLIST_FULL");
    assert.deepEqual(await client.removeFromWishlist({ productId: "prod_2" }), { removed: true });
    assert.deepEqual(await client.removeFromWishlist({ productId: "prod_2" }), { removed: false });
    await rejectsWith(client.addToWishlist({ productId: "bad id!" }), "VALIDATION_FAILED");
    await rejectsWith(client.listWishlist({ page: { limit: 101, cursor: "" } }), "VALIDATION_FAILED");
    await rejectsWith(client.listWishlist({ page: { limit: 5, cursor: "garbage" } }), "VALIDATION_FAILED");
  });

  test("wishlists are per user", async () => {
    const a = await h.newUser();
    const b = await h.newUser();
    await a.client.addToWishlist({ productId: "secret-gift" });
    assert.deepEqual((await b.client.listWishlist({})).items, []);
    assert.deepEqual(await b.client.removeFromWishlist({ productId: "secret-gift" }), { removed: false });
    assert.equal((await a.client.listWishlist({})).items.length, 1);
  });
});
