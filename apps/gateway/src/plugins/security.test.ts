import assert from "node:assert/strict";
import { test } from "node:test";
import helmet from "@fastify/helmet";
import Fastify from "fastify";
import { securityHeaders } from "./security.ts";

// The precomputed headers must stay what helmet itself sends for the same options, so a helmet
// upgrade that changes a default shows up here rather than silently diverging.
test("the precomputed security headers equal helmet's for the gateway's options", async () => {
  const app = Fastify();
  await app.register(helmet, {
    crossOriginResourcePolicy: { policy: "same-origin" },
    hsts: { maxAge: 15_552_000, includeSubDomains: true },
  });
  app.get("/", async () => "ok");
  const res = await app.inject({ method: "GET", url: "/" });
  await app.close();
  const fromHelmet: Record<string, string> = {};
  for (const name of Object.keys(securityHeaders)) fromHelmet[name] = String(res.headers[name]);
  assert.deepEqual(fromHelmet, { ...securityHeaders });
  const helmetNames = Object.keys(res.headers).filter(
    (n) => !["content-type", "content-length", "date", "connection"].includes(n),
  );
  assert.deepEqual(helmetNames.sort(), Object.keys(securityHeaders).sort());
  assert.ok(Object.isFrozen(securityHeaders));
});
