import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestService, type TestService, testPrincipal } from "@toko/testing";
import { DomainError } from "../src/index.ts";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { startEcho } from "./support/echo-service.ts";

let svc: TestService;
before(async () => {
  svc = await startTestService(() => startEcho());
});
after(() => svc.stop());

test("echo round trip with principal", async () => {
  const client = svc.client(EchoServiceClient, { principal: testPrincipal("u1", ["buyer"]) });
  assert.deepEqual(await client.echo({ message: "hi", failWithCode: "" }), { message: "hi" });
  const me = await client.whoAmI({});
  assert.equal(me.subject, "u1");
  await assert.rejects(
    client.echo({ message: "x", failWithCode: "not_found:NOPE" }),
    (e: unknown) => e instanceof DomainError && e.code === "NOPE",
  );
});
