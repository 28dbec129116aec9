import type { Metadata } from "@grpc/grpc-js";
import { errors } from "../errors/domain-error.ts";
import type { Logger, Principal, RequestContext } from "../log/logger.ts";
import { SERVICE_ROLE } from "./principal.ts";

/** What a handler knows about the call it serves. */
export interface CallContext {
  /** The verified caller, or undefined for anonymous calls. */
  principal: Principal | undefined;
  requestId: string;
  /** When the caller stops waiting; undefined when it set no deadline. */
  deadline: Date | undefined;
  logger: Logger;
  metadata: Metadata;
  /** Aborted when the caller cancels, the deadline passes or shutdown runs out of grace. */
  signal: AbortSignal;
}

/** The request context a served call runs in; clients read the deadline to pass it on. */
export interface ServerCallStore extends RequestContext {
  /** Epoch ms of the incoming call's deadline, if any. */
  deadlineMs?: number;
}

/** The caller's principal; a `DomainError` unauthenticated when the call is anonymous. */
export function requirePrincipal(ctx: CallContext): Principal {
  if (!ctx.principal) throw errors.unauthenticated();
  return ctx.principal;
}

/**
 * The caller acting as `role` (e.g. "seller"): it holds the role AND its token was granted the
 * API scope of the same name, so an app a user approved without that scope cannot use the role.
 * UNAUTHENTICATED when anonymous, FORBIDDEN otherwise.
 */
export function requireActingAs(principal: Principal | undefined, role: string): Principal {
  if (!principal) throw errors.unauthenticated();
  if (!principal.roles.includes(role) || !principal.scopes.includes(role))
    throw errors.forbidden(`requires the ${role} role and scope`);
  return principal;
}

/** The calling internal service: UNAUTHENTICATED when anonymous, PERMISSION_DENIED for users. */
export function requireServicePrincipal(ctx: CallContext): Principal {
  const principal = requirePrincipal(ctx);
  if (!principal.roles.includes(SERVICE_ROLE)) throw errors.forbidden("only internal services may call this");
  return principal;
}

/** One named internal service (`servicePrincipal(name)`): any other caller is PERMISSION_DENIED. */
export function requireServiceNamed(ctx: CallContext, name: string): Principal {
  const principal = requireServicePrincipal(ctx);
  if (principal.subject !== `service:${name}`)
    throw errors.forbidden(`only the ${name} service may call this`);
  return principal;
}
