import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient, type PromiseClient } from "@toko/kit";
import { createTestDatabase, TEST_INTERNAL_SECRET, type TestDatabase, testPrincipal } from "@toko/testing";
import { eventually, type Harness, startHarness } from "./harness.ts";
import { startUserProcess } from "./user-process.ts";

// Opening a shop against the real user service process: the owner gains `seller` there.
let userDb: TestDatabase;
let users: Awaited<ReturnType<typeof startUserProcess>>;
let userClient: PromiseClient<UserServiceClient>;
let h: Harness;
const service = { principal: testPrincipal("service:test", ["service"]) };

before(async () => {
  userDb = await createTestDatabase();
  users = await startUserProcess({ DATABASE_URL: userDb.url, TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET });
  userClient = createClient(UserServiceClient, users.address, {
    internalSecret: TEST_INTERNAL_SECRET,
    // Reconnect quickly after the restart below.
    channelOptions: { "grpc.initial_reconnect_backoff_ms": 100, "grpc.max_reconnect_backoff_ms": 1_000 },
  });
  h = await startHarness({ userAddr: users.address, useRealUsers: true });
});
after(async () => {
  await h?.stop();
  userClient?.close();
  await users?.stop();
  await userDb?.drop();
});

async function register(name: string) {
  const { user } = await userClient.register(
    { email: `${name}-${Date.now()}@example.com`, password: "Kopi-Susu-Gula-Aren-7", name, phone: "" },
    { principal: null },
  );
  assert.ok(user);
  assert.deepEqual(user.roles, ["buyer"]);
  return user.id;
}

const rolesOf = async (userId: string) => (await userClient.getUser({ userId }, service)).user?.roles ?? [];

test("opening a shop grants the owner `seller` in the user service", async () => {
  const userId = await register("Siti");
  const { shop } = await h.as(userId).openShop({
    name: "Batik Siti",
    slug: `batik-siti-${Date.now()}`,
    city: "Pekalongan",
    province: "Jawa Tengah",
    description: "",
  });
  assert.ok(shop);
  assert.deepEqual(await rolesOf(userId), ["buyer", "seller"]);
});

test("a grant missed while the user service is down is retried by the durable timer", async () => {
  const userId = await register("Budi");
  await users.stop();
  // The retry timer is due 30 s after opening: open "31 s ago" so it is due at once.
  h.clock.pinned = Date.now() - 31_000;
  try {
    const { shop } = await h.as(userId).openShop({
      name: "Kopi Budi",
      slug: `kopi-budi-${Date.now()}`,
      city: "Medan",
      province: "Sumatera Utara",
      description: "",
    });
    assert.ok(shop, "the shop opens although the grant failed");
  } finally {
    h.clock.pinned = undefined;
  }
  await users.start();
  await eventually(async () => (await rolesOf(userId).catch((): string[] => [])).includes("seller"), 45_000);
  assert.deepEqual(await rolesOf(userId), ["buyer", "seller"]);
});
