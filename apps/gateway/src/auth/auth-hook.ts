import type { Principal } from "@toko/kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpProblem } from "../problem.ts";
import type { TokenVerifier } from "./jwt-verifier.ts";

/**
 * A route's access rule: public, signed-in, or signed-in with any of `roles` and all of `scopes`.
 * `passthrough` leaves the Authorization header alone for an upstream that authenticates
 * itself (the authorization server's token, userinfo and introspection endpoints use HTTP Basic
 * client credentials and opaque tokens).
 */
export type AuthRule =
  | "none"
  | "passthrough"
  | "user"
  | { roles?: readonly string[]; scopes?: readonly string[] };

declare module "fastify" {
  interface FastifyRequest {
    /** The verified caller, or null for anonymous requests. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    auth?: AuthRule;
  }
}

const bearer = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

function challenge(detail: string): HttpProblem {
  return new HttpProblem(401, "UNAUTHENTICATED", detail, { headers: { "www-authenticate": "Bearer" } });
}

/** Checks a verified principal against a route rule (roles: any of; scopes: all of). */
export function authorize(principal: Principal | null, rule: AuthRule): void {
  if (rule === "none" || rule === "passthrough") return;
  if (!principal) throw challenge("this endpoint requires a bearer access token");
  if (rule === "user") return;
  if (rule.roles && rule.roles.length > 0 && !rule.roles.some((r) => principal.roles.includes(r))) {
    throw new HttpProblem(403, "FORBIDDEN", `requires one of the roles: ${rule.roles.join(", ")}`);
  }
  const missing = (rule.scopes ?? []).filter((s) => !principal.scopes.includes(s));
  if (missing.length > 0)
    throw new HttpProblem(403, "FORBIDDEN", `requires the scopes: ${missing.join(", ")}`);
}

async function principalOf(request: FastifyRequest, verifier: TokenVerifier): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header === undefined || header === "") return null;
  const match = bearer.exec(header);
  if (!match?.[1]) throw challenge("the Authorization header must be 'Bearer <token>'");
  return verifier.verify(match[1]);
}

/**
 * Verifies any bearer token (a bad token is 401 even on public routes, so clients notice)
 * and enforces the route's `config.auth` rule before the body is even read.
 */
export function installAuth(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    const rule = request.routeOptions.config.auth ?? "none";
    if (rule === "passthrough") return;
    request.principal = await principalOf(request, verifier);
    authorize(request.principal, rule);
  });
}
