// The demo marketplace of `npm start`: the real launcher with the real user, product and inventory
// services. The printed accounts sign in, the seller owns a demo shop, every demo variant has
// stock; a second start on the same data changes nothing. (demo-production.test.ts: outside
// development nothing is seeded or printed.)
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Principal, servicePrincipal } from "@toko/kit";
import { DemoStack, printedAccounts, type Snapshot } from "./demo-stack.ts";

const stack = new DemoStack();
before(() => stack.setup());
after(() => stack.teardown());

let firstStart: Snapshot | undefined;
let printed = new Map<string, { email: string; password: string }>();
const asOAuth2 = { principal: servicePrincipal("oauth2") };

/** What each service named in the launcher's "started (pid N)" lines runs, from /proc. */
function commandLines(out: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const m of out.matchAll(/(\S+): started \(pid (\d+)\)/g)) {
    lines.set(m[1] ?? "", readFileSync(`/proc/${m[2]}/cmdline`, "utf8").replaceAll("\0", " "));
  }
  return lines;
}

test("development: the printed demo accounts sign in, the seller owns a demo shop, every demo variant is in stock", async (t) => {
  t.after(stack.stop);
  const out = await stack.start();
  printed = printedAccounts(out);
  assert.deepEqual([...printed.keys()].sort(), ["admin", "buyer", "seller"]);
  // From their production build, kept current by the launcher, as an image runs them.
  const commands = commandLines(out);
  assert.deepEqual([...commands.keys()].sort(), ["inventory", "product", "user"]);
  for (const [name, command] of commands) {
    assert.match(command, new RegExp(`--conditions=production .*services/${name}/dist/main\\.js`), name);
  }
  // Kept once, readable by the owner only.
  const file = join(stack.data.dir, "demo-accounts.json");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  for (const [role, account] of printed) assert.equal(stored[role], account.password, role);

  const c = stack.clients();
  try {
    const login = async (role: string) => {
      const account = printed.get(role);
      assert.ok(account);
      const res = await c.user.verifyCredentials(
        { email: account.email, password: account.password, clientAddress: "127.0.0.1" },
        asOAuth2,
      );
      assert.ok(res.verified, `${role} signs in: ${JSON.stringify(res.failure)}`);
      return res.verified;
    };
    const buyer = await login("buyer");
    assert.deepEqual(buyer.roles, ["buyer"]);
    assert.equal(buyer.emailVerified, true);
    const seller = await login("seller");
    assert.ok(seller.roles.includes("seller"));
    const admin = await login("admin");
    assert.ok(admin.roles.includes("admin"));
    // A wrong password is still refused: these are ordinary accounts.
    const wrong = await c.user.verifyCredentials(
      { email: buyer.email, password: `${printed.get("buyer")?.password}x`, clientAddress: "127.0.0.1" },
      asOAuth2,
    );
    assert.equal(wrong.failure?.code, "INVALID_CREDENTIALS");

    // The seller's shop (what the seller routes show) is a demo shop with products.
    const sellerPrincipal: Principal = { subject: seller.userId, roles: seller.roles, scopes: ["seller"] };
    const shop = (await c.product.getMyShop({}, { principal: sellerPrincipal })).shop;
    assert.ok(shop);
    const own = await c.product.listProducts({
      shopId: shop.id,
      categoryId: "",
      page: { limit: 100, cursor: "" },
    });
    assert.ok(own.products.length > 0, "the demo seller's shop has products");

    // Every demo variant, of every demo shop, can be bought.
    const items: { shopId: string; sku: string }[] = [];
    let cursor = "";
    do {
      const page = await c.product.listProducts({ shopId: "", categoryId: "", page: { limit: 100, cursor } });
      for (const p of page.products) for (const v of p.variants) items.push({ shopId: p.shopId, sku: v.sku });
      cursor = page.page?.nextCursor ?? "";
    } while (cursor);
    assert.equal(items.length, (await stack.snapshot()).variants);
    assert.equal(new Set(items.map((i) => i.shopId)).size, 3);
    for (let i = 0; i < items.length; i += 200) {
      const res = await c.inventory.getAvailability({ items: items.slice(i, i + 200) });
      assert.equal(res.items.length, Math.min(200, items.length - i));
      for (const a of res.items) assert.ok(a.available > 0, `${a.shopId} ${a.sku} has stock`);
    }
    // The seller finds the stock in a warehouse of their own, as the seller routes do.
    const warehouses = await c.inventory.listWarehouses({}, { principal: sellerPrincipal });
    assert.equal(warehouses.warehouses.length, 1);
    assert.equal(warehouses.warehouses[0]?.shopId, shop.id);
  } finally {
    c.close();
  }
  firstStart = await stack.snapshot();
  assert.equal(firstStart.warehouses, 3);
});

test("development: a second start on the same data (TOKO_DEV_TSX=1: from the sources) seeds nothing new and prints the same passwords", async (t) => {
  assert.ok(firstStart, "the first start ran");
  t.after(stack.stop);
  const out = await stack.start({ TOKO_DEV_TSX: "1" });
  assert.deepEqual(printedAccounts(out), printed);
  for (const [name, command] of commandLines(out)) {
    assert.match(command, new RegExp(`--import \\S*tsx\\S* \\S*services/${name}/src/main\\.ts`), name);
  }
  assert.deepEqual(await stack.snapshot(), firstStart);
  const c = stack.clients();
  try {
    const buyer = printed.get("buyer");
    assert.ok(buyer);
    const res = await c.user.verifyCredentials(
      { email: buyer.email, password: buyer.password, clientAddress: "127.0.0.1" },
      asOAuth2,
    );
    assert.ok(res.verified);
  } finally {
    c.close();
  }
});
