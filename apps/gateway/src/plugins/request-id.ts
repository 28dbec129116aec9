import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

/** Client ids are echoed only when they cannot smuggle anything into logs or headers. */
const safeRequestId = /^[A-Za-z0-9._:-]{8,128}$/;

/** Fastify `genReqId`: the client's `X-Request-Id` when well-formed, else a fresh UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && safeRequestId.test(given) ? given : randomUUID();
}

/** Puts the request id on every response, errors and 404s included. */
export function installRequestId(app: FastifyInstance): void {
  // A callback hook, not an async one: no promise per request for one header.
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });
}
