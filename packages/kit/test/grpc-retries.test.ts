// Retries: only methods declared idempotent, only for UNAVAILABLE, bounded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestService, type TestService } from "@toko/testing";
import { DomainError } from "../src/index.ts";
import { EchoServiceClient } from "./gen/toko/kittest/v1/echo.ts";
import { type EchoHooks, startEcho } from "./support/echo-service.ts";

const hooks: EchoHooks = { hits: new Map() };
let svc: TestService;
before(async () => {
  svc = await startTestService(() => startEcho(hooks));
});
after(() => svc.stop());

const busy = { message: "", failWithCode: "unavailable:BUSY" };

test("an idempotent method is retried on UNAVAILABLE up to maxRetries", async () => {
  hooks.hits.clear();
  const client = svc.client(EchoServiceClient, { idempotent: ["echo"], maxRetries: 2 });
  await assert.rejects(client.echo(busy), (e: unknown) => e instanceof DomainError && e.code === "BUSY");
  assert.equal(hooks.hits.get("echo"), 3);
});

test("a method not declared idempotent is tried once", async () => {
  hooks.hits.clear();
  const client = svc.client(EchoServiceClient, { idempotent: ["whoAmI"], maxRetries: 2 });
  await assert.rejects(client.echo(busy));
  assert.equal(hooks.hits.get("echo"), 1);
});

test("other failures are not retried even for idempotent methods", async () => {
  hooks.hits.clear();
  const client = svc.client(EchoServiceClient, { idempotent: ["echo"], maxRetries: 2 });
  await assert.rejects(client.echo({ message: "", failWithCode: "not_found:NOPE" }));
  assert.equal(hooks.hits.get("echo"), 1);
});
