import type { Principal } from "@toko/kit";
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { addRouteHook } from "../plugins/route-hooks.ts";
import { HttpProblem } from "../problem.ts";
import type { TokenVerifier } from "./jwt-verifier.ts";

/**
 * A route's access rule: public, signed-in, or signed-in with any of `roles` and all of `scopes`
 * (`guests: true` also lets a request without a token through; a token must still pass).
 * `passthrough` leaves the Authorization header alone for an upstream that authenticates
 * itself (the authorization server's token, userinfo and introspection endpoints use HTTP Basic
 * client credentials and opaque tokens).
 */
export type AuthRule =
  | "none"
  | "passthrough"
  | "user"
  | { roles?: readonly string[]; scopes?: readonly string[]; guests?: boolean };

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
  if (!principal && typeof rule === "object" && rule.guests === true) return;
  if (!principal) throw challenge("this endpoint requires a bearer access token");
  if (rule === "user") return;
  if (rule.roles && rule.roles.length > 0 && !rule.roles.some((r) => principal.roles.includes(r))) {
    throw new HttpProblem(403, "FORBIDDEN", `requires one of the roles: ${rule.roles.join(", ")}`);
  }
  const missing = (rule.scopes ?? []).filter((s) => !principal.scopes.includes(s));
  if (missing.length > 0)
    throw new HttpProblem(403, "FORBIDDEN", `requires the scopes: ${missing.join(", ")}`);
}

/** The bearer token of an Authorization header, or a 401 problem for any other scheme. */
function tokenOf(header: string): string | HttpProblem {
  const match = bearer.exec(header);
  return match?.[1] ?? challenge("the Authorization header must be 'Bearer <token>'");
}

/**
 * The `onRequest` check for one rule: anonymous requests cost a header lookup; a token is
 * verified (even on public routes) and the principal checked against the rule. A callback hook,
 * so the anonymous path allocates no promise.
 */
function checkFor(rule: Exclude<AuthRule, "passthrough">, verifier: TokenVerifier) {
  const guestsAllowed = rule === "none" || (typeof rule === "object" && rule.guests === true);
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const header = request.headers.authorization;
    if (header === undefined || header === "") {
      done(guestsAllowed ? undefined : challenge("this endpoint requires a bearer access token"));
      return;
    }
    const token = tokenOf(header);
    if (token instanceof HttpProblem) {
      done(token);
      return;
    }
    verifier.verify(token).then((principal) => {
      request.principal = principal;
      let refused: unknown;
      try {
        authorize(principal, rule);
      } catch (error) {
        refused = error;
      }
      done(refused as Error | undefined);
    }, done);
  };
}

/**
 * Verifies any bearer token (a bad token is 401 even on public routes, so clients notice)
 * and enforces the route's `config.auth` rule before the body is even read. The rule is read
 * once per route when it is registered; `passthrough` routes get no hook at all.
 */
export function installAuth(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest("principal", null);
  app.addHook("onRoute", (route) => {
    const rule = route.config?.auth ?? "none";
    if (rule !== "passthrough") addRouteHook(route, "onRequest", checkFor(rule, verifier));
  });
}

/**
 * For the not-found handler, which has no route hooks: a bad token still answers 401 on an
 * unknown path, as on public routes.
 */
export function unmatchedRouteAuth(verifier: TokenVerifier) {
  return checkFor("none", verifier);
}
