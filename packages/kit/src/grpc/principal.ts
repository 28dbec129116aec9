import { createHmac, timingSafeEqual } from "node:crypto";
import { Metadata } from "@grpc/grpc-js";
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
  /** Expiry, seconds since the epoch: a captured header stops working soon after. */
  exp: number;
}

interface SignedPrincipal {
  secret: string | undefined;
  header: string;
  signature: string;
  /** When the header expires, in milliseconds since the epoch. */
  expiresAt: number;
  /** Metadata carrying just this principal, built once; callers clone it before adding to it. */
  metadata?: Metadata;
}

/** How long a signed principal is valid; a call chain must start within this window. */
export const PRINCIPAL_TTL_MS = 5 * 60_000;
// Re-sign when less than this is left, so a header never expires while a call is in flight.
const RESIGN_MARGIN_MS = 60_000;
// Tolerated clock difference between the signing and the verifying process.
const CLOCK_SKEW_MS = 30_000;

// Principal objects are reused across calls (the gateway's per-token cache, a server's
// verified principal forwarded downstream), so their encoded form is computed once per object.
const signedCache = new WeakMap<Principal, SignedPrincipal>();

function hmac(header: string, secret: string): string {
  return createHmac("sha256", secret).update(header).digest("hex");
}

function encode(principal: Principal, expiresAt: number): string {
  const wire: WirePrincipal = {
    sub: principal.subject,
    roles: [...principal.roles],
    scopes: [...principal.scopes],
    exp: Math.floor(expiresAt / 1000),
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
  const now = Date.now();
  const cached = signedCache.get(principal);
  if (cached && cached.secret === secret && cached.expiresAt - now > RESIGN_MARGIN_MS) return cached;
  const expiresAt = now + PRINCIPAL_TTL_MS;
  const header = encode(principal, expiresAt);
  const entry = { secret, header, signature: secret ? hmac(header, secret) : "", expiresAt };
  signedCache.set(principal, entry);
  return entry;
}

/**
 * Metadata carrying a signed principal, built once per signed entry. grpc-js copies the metadata
 * a call starts with, so the same object may be passed to many calls; never modify it.
 */
export function principalMetadata(signed: SignedPrincipal): Metadata {
  if (!signed.metadata) {
    const metadata = new Metadata();
    metadata.set(PRINCIPAL_HEADER, signed.header);
    if (signed.signature) metadata.set(PRINCIPAL_SIGNATURE_HEADER, signed.signature);
    signed.metadata = metadata;
  }
  return signed.metadata;
}

function decode(header: string): { principal: Principal; expiresAt: number } {
  let wire: Partial<WirePrincipal>;
  try {
    wire = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Partial<WirePrincipal>;
  } catch {
    throw errors.unauthenticated("malformed principal metadata");
  }
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
  if (
    typeof wire?.sub !== "string" ||
    wire.sub === "" ||
    !isStrings(wire.roles) ||
    !isStrings(wire.scopes) ||
    typeof wire.exp !== "number"
  ) {
    throw errors.unauthenticated("malformed principal metadata");
  }
  const principal: Principal = { subject: wire.sub, roles: wire.roles, scopes: wire.scopes };
  if (typeof wire.client_id === "string") principal.clientId = wire.client_id;
  return { principal, expiresAt: wire.exp * 1000 };
}

interface Decoded {
  principal: Principal;
  expiresAt: number;
  /** The secret the header was verified with (undefined: unsigned, dev only) and its signature. */
  secret: string | undefined;
  signature: Buffer;
}

// Verified principals by header: a busy caller sends the same few headers over and over.
const decodedCache = new Map<string, Decoded>();
const DECODED_CACHE_MAX = 1_000;

function remember(header: string, decoded: Decoded): void {
  if (decodedCache.size >= DECODED_CACHE_MAX) decodedCache.clear();
  decodedCache.set(header, decoded);
}

/**
 * The caller's principal from metadata, or undefined when none was sent. With a secret, a
 * missing or wrong signature is UNAUTHENTICATED; without one (dev only) it is not checked.
 */
export function readPrincipal(metadata: Metadata, secret: string | undefined): Principal | undefined {
  const header = metadata.get(PRINCIPAL_HEADER)[0];
  if (header === undefined) return undefined;
  if (typeof header !== "string" || header === "")
    throw errors.unauthenticated("malformed principal metadata");
  let decoded = decodedCache.get(header);
  if (secret) {
    const given = metadata.get(PRINCIPAL_SIGNATURE_HEADER)[0];
    if (typeof given !== "string" || given === "")
      throw errors.unauthenticated("principal signature missing");
    // The expected signature of a header seen before is cached with it; the comparison with
    // what was sent stays constant-time.
    const expected =
      decoded && decoded.secret === secret ? decoded.signature : Buffer.from(hmac(header, secret), "hex");
    const actual = Buffer.from(given, "hex");
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw errors.unauthenticated("principal signature invalid");
    }
    if (!decoded || decoded.secret !== secret) {
      decoded = { ...(decoded ?? decode(header)), secret, signature: expected };
      remember(header, decoded);
      // Forwarded downstream as received, so the chain keeps the original signature and expiry.
      signedCache.set(decoded.principal, { secret, header, signature: given, expiresAt: decoded.expiresAt });
    }
  } else if (!decoded) {
    decoded = { ...decode(header), secret, signature: Buffer.alloc(0) };
    remember(header, decoded);
  }
  if (decoded.expiresAt + CLOCK_SKEW_MS < Date.now()) throw errors.unauthenticated("principal expired");
  return decoded.principal;
}
