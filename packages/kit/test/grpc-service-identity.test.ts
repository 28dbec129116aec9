// Service-to-service identity: methods refuse anonymous calls unless declared, a signed principal
// is bound to its target service, and a previous internal secret verifies during rotation.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { startTestService, TEST_INTERNAL_SECRET, type TestService, testPrincipal } from "@toko/testing";
import { createClient, DomainError, type PromiseClient, signPrincipal } from "../src/index.ts";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { startEcho, testEnv } from "./support/echo-service.ts";
import { rawEchoClient, rawUnary } from "./support/raw-client.ts";

const alice = testPrincipal("alice", ["buyer"]);
const OLD_SECRET = "the-secret-being-rotated-out-0123";
const NEW_SECRET = "the-secret-being-rotated-in-45678";

const isUnauthenticated = (e: unknown) => e instanceof DomainError && e.kind === "unauthenticated";

/** What a server saw in a WhoAmI call's metadata: the signed principal as it came over the wire. */
interface Captured {
  header: string;
  signature: string;
}

function capture(into: Captured[]) {
  return (metadata: grpc.Metadata) => {
    const header = metadata.get("x-toko-principal")[0];
    const signature = metadata.get("x-toko-principal-sig")[0];
    if (typeof header === "string" && typeof signature === "string") into.push({ header, signature });
  };
}

function replay(address: string, signed: Captured): Promise<grpc.ServiceError> {
  const raw = rawEchoClient(address);
  const metadata = new grpc.Metadata();
  metadata.set("x-toko-principal", signed.header);
  metadata.set("x-toko-principal-sig", signed.signature);
  return rawUnary(raw, "whoAmI", {}, metadata).finally(() => raw.close());
}

let strict: TestService;
let product: TestService;
let inventory: TestService;
let toInventory: PromiseClient<EchoServiceClient>;
const seenByProduct: Captured[] = [];
const seenByInventory: Captured[] = [];

before(async () => {
  // Only Echo is declared callable without a principal.
  strict = await startTestService(() => startEcho({ hits: new Map(), anonymous: ["echo"] }));
  // Two services sharing the internal secret, as every Toko service does; named as their audience.
  inventory = await startTestService(() =>
    startEcho({ hits: new Map(), anonymous: [], onWhoAmI: capture(seenByInventory) }, { name: "inventory" }),
  );
  toInventory = createClient(EchoServiceClient, inventory.grpcAddress, {
    internalSecret: TEST_INTERNAL_SECRET,
    target: "inventory",
  });
  product = await startTestService(() =>
    startEcho(
      {
        hits: new Map(),
        anonymous: [],
        onWhoAmI: capture(seenByProduct),
        // Echo "downstream" calls inventory on behalf of the caller (the principal is forwarded).
        downstream: async () => (await toInventory.whoAmI({})).subject,
      },
      { name: "product" },
    ),
  );
});
after(async () => {
  toInventory.close();
  await Promise.all([strict.stop(), product.stop(), inventory.stop()]);
});

test("a method not declared anonymous refuses a call without a principal (UNAUTHENTICATED)", async () => {
  const client = strict.client(EchoServiceClient);
  await assert.rejects(client.whoAmI({}), isUnauthenticated);
  const raw = rawEchoClient(strict.grpcAddress);
  try {
    const error = await rawUnary(raw, "whoAmI", {});
    assert.equal(error.code, grpc.status.UNAUTHENTICATED);
    assert.match(error.details, /not callable anonymously/);
  } finally {
    raw.close();
  }
  // The same method with a principal is served.
  assert.equal((await strict.client(EchoServiceClient, { principal: alice }).whoAmI({})).subject, "alice");
});

test("a method declared anonymous serves a call without a principal", async () => {
  const reply = await strict.client(EchoServiceClient).echo({ message: "hi", failWithCode: "" });
  assert.equal(reply.message, "hi");
});

test("implement refuses to declare a method the service does not have", async () => {
  const { implement } = await import("../src/index.ts");
  const { EchoServiceService } = await import("./gen/toko/kittest/v1/echo.ts");
  const handler = async () => ({}) as never;
  const handlers = { echo: handler, slow: handler, whoAmI: handler };
  type Echo = import("./gen/toko/kittest/v1/echo.ts").EchoServiceServer;
  assert.throws(
    () => implement<Echo>(EchoServiceService, { anonymous: ["resolveLink" as never] }, handlers),
    /anonymous method resolveLink/,
  );
  // Declared ones are fine, and the two-argument form declares none.
  assert.deepEqual(
    [...(implement<Echo>(EchoServiceService, { anonymous: ["echo"] }, handlers).anonymous ?? [])],
    ["echo"],
  );
  assert.equal(implement<Echo>(EchoServiceService, handlers).anonymous?.size, 0);
});

test("a header signed for product and replayed against inventory is UNAUTHENTICATED", async () => {
  seenByProduct.length = 0;
  const client = product.client(EchoServiceClient, { principal: alice });
  assert.equal((await client.whoAmI({})).subject, "alice");
  const captured = seenByProduct[0];
  assert.ok(captured, "product saw a signed principal");
  // Replayed against the service it was signed for, the header still works...
  await assert.rejects(replay(product.grpcAddress, captured), /expected a failure, got .*"subject":"alice"/);
  // ...against another service holding the same secret, it does not.
  const refused = await replay(inventory.grpcAddress, captured);
  assert.equal(refused.code, grpc.status.UNAUTHENTICATED);
  assert.match(refused.details, /another service/);
});

test("a client derives its target from the definition; a wrong one is refused", async () => {
  // EchoServiceClient is `toko.kittest.v1`: signed for `kittest`, which product is not.
  const derived = createClient(EchoServiceClient, product.grpcAddress, {
    internalSecret: TEST_INTERNAL_SECRET,
  });
  try {
    await assert.rejects(derived.whoAmI({}, { principal: alice }), isUnauthenticated);
  } finally {
    derived.close();
  }
  const forged = signPrincipal(alice, TEST_INTERNAL_SECRET, "kittest");
  assert.equal((await replay(product.grpcAddress, forged)).code, grpc.status.UNAUTHENTICATED);
});

test("a principal forwarded downstream is signed anew for the next service, not passed verbatim", async () => {
  seenByInventory.length = 0;
  const client = product.client(EchoServiceClient, { principal: alice });
  const reply = await client.echo({ message: "downstream", failWithCode: "" });
  assert.equal(reply.message, "alice");
  const forwarded = seenByInventory[0];
  assert.ok(forwarded, "inventory saw a signed principal");
  const wire = JSON.parse(Buffer.from(forwarded.header, "base64url").toString("utf8")) as {
    sub: string;
    aud: string;
    exp: number;
  };
  assert.equal(wire.sub, "alice");
  assert.equal(wire.aud, "inventory");
  // The forwarded header never outlives the one the caller sent.
  seenByProduct.length = 0;
  await client.whoAmI({});
  const original = JSON.parse(Buffer.from(seenByProduct[0]?.header ?? "", "base64url").toString("utf8")) as {
    exp: number;
  };
  assert.ok(wire.exp <= original.exp, `forwarded exp ${wire.exp} <= original ${original.exp}`);
});

test("a previous internal secret verifies while it is listed, and not after", async () => {
  const rotating = await startTestService(() =>
    startEcho(
      { hits: new Map(), anonymous: [] },
      { env: testEnv({ TOKO_INTERNAL_SECRET: NEW_SECRET, TOKO_INTERNAL_SECRET_PREVIOUS: OLD_SECRET }) },
    ),
  );
  try {
    const oldCaller = rotating.client(EchoServiceClient, { principal: alice, internalSecret: OLD_SECRET });
    const newCaller = rotating.client(EchoServiceClient, { principal: alice, internalSecret: NEW_SECRET });
    assert.equal((await oldCaller.whoAmI({})).subject, "alice");
    assert.equal((await newCaller.whoAmI({})).subject, "alice");
    const unrelated = rotating.client(EchoServiceClient, {
      principal: alice,
      internalSecret: "neither-the-old-nor-the-new-one",
    });
    await assert.rejects(unrelated.whoAmI({}), isUnauthenticated);
  } finally {
    await rotating.stop();
  }
  // Rotation done: the old secret is no longer listed.
  const rotated = await startTestService(() =>
    startEcho({ hits: new Map(), anonymous: [] }, { env: testEnv({ TOKO_INTERNAL_SECRET: NEW_SECRET }) }),
  );
  try {
    const oldCaller = rotated.client(EchoServiceClient, { principal: alice, internalSecret: OLD_SECRET });
    await assert.rejects(oldCaller.whoAmI({}), isUnauthenticated);
    const newCaller = rotated.client(EchoServiceClient, { principal: alice, internalSecret: NEW_SECRET });
    assert.equal((await newCaller.whoAmI({})).subject, "alice");
  } finally {
    await rotated.stop();
  }
});

test("a previous secret without a current one is a configuration error", async () => {
  const env = { ...testEnv({ TOKO_INTERNAL_SECRET_PREVIOUS: OLD_SECRET }), TOKO_INTERNAL_SECRET: undefined };
  await assert.rejects(
    startEcho(undefined, { env: { ...env, TOKO_ALLOW_UNSIGNED_PRINCIPALS: true } }),
    /TOKO_INTERNAL_SECRET_PREVIOUS: is set without TOKO_INTERNAL_SECRET/,
  );
});

test("a client with no target to sign for fails a call that carries a principal", async () => {
  const { EchoServiceService } = await import("./gen/toko/kittest/v1/echo.ts");
  const Ctor = grpc.makeGenericClientConstructor(
    Object.fromEntries(
      Object.entries(EchoServiceService).map(([k, d]) => [
        k,
        { ...d, path: d.path.replace("toko.kittest.v1", "other") },
      ]),
    ) as grpc.ServiceDefinition,
    "Other",
  ) as unknown as typeof EchoServiceClient;
  const client = createClient(Ctor, strict.grpcAddress, { internalSecret: TEST_INTERNAL_SECRET });
  try {
    await assert.rejects(client.whoAmI({}, { principal: alice }), /no target service/);
  } finally {
    client.close();
  }
});
