import { createHmac, timingSafeEqual } from "node:crypto";
import type { Metadata } from "@grpc/grpc-js";
import { errors } from "../errors/domain-error.ts";
import type { Principal } from "../log/logger.ts";

/** Metadata keys of the service-to-service contract. */
export const PRINCIPAL_HEADER = "x-toko-principal";
export const PRINCIPAL_SIGNATURE_HEADER = "x-toko-principal-sig";
export const REQUEST_ID_HEADER = "x-request-id";

interface WirePrincipal {
  sub: string;
  roles: string[];
  scopes: string[];
  client_id?: string;
}

interface SignedPrincipal {
  secret: string | undefined;
  header: string;
  signature: string;
}

// Principal objects are reused across calls (the gateway's per-token cache, a server's
// verified principal forwarded downstream), so their encoded form is computed once per object.
const signedCache = new WeakMap<Principal, SignedPrincipal>();

function hmac(header: string, secret: string): string {
  return createHmac("sha256", secret).update(header).digest("hex");
}

function encode(principal: Principal): string {
  const wire: WirePrincipal = {
    sub: principal.subject,
    roles: [...principal.roles],
    scopes: [...principal.scopes],
  };
  if (principal.clientId !== undefined) wire.client_id = principal.clientId;
  return Buffer.from(JSON.stringify(wire)).toString("base64url");
}

/** Encodes a principal for metadata and signs it with the internal secret (used by the gateway). */
export function signPrincipal(principal: Principal, secret: string): { header: string; signature: string } {
  const { header, signature } = signedPrincipal(principal, secret);
  return { header, signature };
}

/** The cached header/signature pair for a principal; signature is "" without a secret. */
export function signedPrincipal(principal: Principal, secret: string | undefined): SignedPrincipal {
  const cached = signedCache.get(principal);
  if (cached && cached.secret === secret) return cached;
  const header = encode(principal);
  const entry = { secret, header, signature: secret ? hmac(header, secret) : "" };
  signedCache.set(principal, entry);
  return entry;
}

function decode(header: string): Principal {
  let wire: Partial<WirePrincipal>;
  try {
    wire = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Partial<WirePrincipal>;
  } catch {
    throw errors.unauthenticated("malformed principal metadata");
  }
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
  if (typeof wire?.sub !== "string" || wire.sub === "" || !isStrings(wire.roles) || !isStrings(wire.scopes)) {
    throw errors.unauthenticated("malformed principal metadata");
  }
  const principal: Principal = { subject: wire.sub, roles: wire.roles, scopes: wire.scopes };
  if (typeof wire.client_id === "string") principal.clientId = wire.client_id;
  return principal;
}

// Verified principals by header: a busy caller sends the same few headers over and over.
const decodedCache = new Map<string, Principal>();
const DECODED_CACHE_MAX = 1_000;

/**
 * The caller's principal from metadata, or undefined when none was sent. With a secret, a
 * missing or wrong signature is UNAUTHENTICATED; without one (dev only) it is not checked.
 */
export function readPrincipal(metadata: Metadata, secret: string | undefined): Principal | undefined {
  const header = metadata.get(PRINCIPAL_HEADER)[0];
  if (header === undefined) return undefined;
  if (typeof header !== "string" || header === "")
    throw errors.unauthenticated("malformed principal metadata");
  if (secret) {
    const given = metadata.get(PRINCIPAL_SIGNATURE_HEADER)[0];
    if (typeof given !== "string" || given === "")
      throw errors.unauthenticated("principal signature missing");
    const expected = Buffer.from(hmac(header, secret), "hex");
    const actual = Buffer.from(given, "hex");
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw errors.unauthenticated("principal signature invalid");
    }
  }
  let principal = decodedCache.get(header);
  if (!principal) {
    principal = decode(header);
    if (decodedCache.size >= DECODED_CACHE_MAX) decodedCache.clear();
    decodedCache.set(header, principal);
    if (secret)
      signedCache.set(principal, {
        secret,
        header,
        signature: metadata.get(PRINCIPAL_SIGNATURE_HEADER)[0] as string,
      });
  }
  return principal;
}
