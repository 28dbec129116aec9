import { createHmac, timingSafeEqual } from "node:crypto";
import { Metadata, type ServiceDefinition } from "@grpc/grpc-js";
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
  /** The service the header is for: another service refuses it, so it cannot be replayed there. */
  aud: string;
  /** Expiry, seconds since the epoch: a captured header stops working soon after. */
  exp: number;
}

/** A principal encoded and signed for one target service. */
interface SignedPrincipal {
  header: string;
  signature: string;
  /** When the header expires, in milliseconds since the epoch. */
  expiresAt: number;
  /** Expiry inherited from the caller's header: reused until then rather than re-signed early. */
  capped: boolean;
  /** Metadata carrying just this principal, built once; callers clone it before adding to it. */
  metadata?: Metadata;
}

/** How long a signed principal is valid; a call chain must start within this window. */
export const PRINCIPAL_TTL_MS = 5 * 60_000;
// Re-sign when less than this is left, so a header never expires while a call is in flight.
const RESIGN_MARGIN_MS = 60_000;
// Tolerated clock difference between the signing and the verifying process.
const CLOCK_SKEW_MS = 30_000;

// The expiry of each principal a server verified: re-signed for a downstream service, it keeps
// that expiry, so forwarding along a call chain never extends what the first caller was given.
const verifiedUntil = new WeakMap<Principal, number>();

/** The role of internal service principals (another Toko service acting on its own behalf). */
export const SERVICE_ROLE = "service";

/** The principal another Toko service calls as when it acts on its own behalf. */
export function servicePrincipal(service: string): Principal {
  return { subject: `service:${service}`, roles: [SERVICE_ROLE], scopes: [] };
}

/**
 * The service a generated definition belongs to, i.e. the audience its calls are signed for:
 * `toko.product.v1.ProductService` → `product`. Undefined outside the `toko.<name>.v<n>` scheme.
 */
export function targetOf(definition: ServiceDefinition): string | undefined {
  const first = Object.values(definition)[0];
  const match = first && /^\/toko\.([a-z][a-z0-9_]*)\.v\d+\./.exec(first.path);
  return match?.[1]?.replaceAll("_", "-");
}

function hmac(header: string, secret: string): string {
  return createHmac("sha256", secret).update(header).digest("hex");
}

function encode(principal: Principal, audience: string, expiresAt: number): string {
  const wire: WirePrincipal = {
    sub: principal.subject,
    roles: [...principal.roles],
    scopes: [...principal.scopes],
    aud: audience,
    exp: Math.floor(expiresAt / 1000),
  };
  if (principal.clientId !== undefined) wire.client_id = principal.clientId;
  return Buffer.from(JSON.stringify(wire)).toString("base64url");
}

/** Encodes a principal for metadata and signs it for one target service (tests, tools). */
export function signPrincipal(
  principal: Principal,
  secret: string,
  audience: string,
): { header: string; signature: string } {
  const header = encode(principal, audience, Date.now() + PRINCIPAL_TTL_MS);
  return { header, signature: hmac(header, secret) };
}

/**
 * Signs principals for one target service with the current internal secret (one per client).
 * Principal objects are reused across calls (the gateway's per-token cache, a server's verified
 * principal forwarded downstream), so each one's signed form is computed once and reused.
 */
export class PrincipalSigner {
  private readonly cache = new WeakMap<Principal, SignedPrincipal>();

  /** `secret` undefined: principals go unsigned (development only). */
  constructor(
    readonly audience: string,
    private readonly secret: string | undefined,
  ) {}

  /**
   * Metadata carrying the signed principal, built once per signed entry. grpc-js copies the
   * metadata a call starts with, so the same object may be passed to many calls; never modify it.
   */
  metadata(principal: Principal): Metadata {
    const signed = this.sign(principal);
    if (!signed.metadata) {
      const metadata = new Metadata();
      metadata.set(PRINCIPAL_HEADER, signed.header);
      if (signed.signature) metadata.set(PRINCIPAL_SIGNATURE_HEADER, signed.signature);
      signed.metadata = metadata;
    }
    return signed.metadata;
  }

  private sign(principal: Principal): SignedPrincipal {
    const now = Date.now();
    const cached = this.cache.get(principal);
    if (cached && (cached.capped ? cached.expiresAt > now : cached.expiresAt - now > RESIGN_MARGIN_MS)) {
      return cached;
    }
    let expiresAt = now + PRINCIPAL_TTL_MS;
    const until = verifiedUntil.get(principal);
    const capped = until !== undefined && until < expiresAt;
    if (capped) expiresAt = until;
    const header = encode(principal, this.audience, expiresAt);
    const entry: SignedPrincipal = {
      header,
      signature: this.secret ? hmac(header, this.secret) : "",
      expiresAt,
      capped,
    };
    this.cache.set(principal, entry);
    return entry;
  }
}

function decode(header: string): { principal: Principal; audience: string; expiresAt: number } {
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
    typeof wire.aud !== "string" ||
    typeof wire.exp !== "number"
  ) {
    throw errors.unauthenticated("malformed principal metadata");
  }
  const principal: Principal = { subject: wire.sub, roles: wire.roles, scopes: wire.scopes };
  if (typeof wire.client_id === "string") principal.clientId = wire.client_id;
  return { principal, audience: wire.aud, expiresAt: wire.exp * 1000 };
}

interface Verified {
  principal: Principal;
  expiresAt: number;
  /** The signature that verified, as bytes (empty when unsigned, dev only). */
  signature: Buffer;
}

const VERIFIED_CACHE_MAX = 1_000;

/**
 * Verifies principal metadata for one service (one per server): signed with the current or a
 * previous internal secret (rotation), for this service, not expired.
 */
export class PrincipalVerifier {
  // Verified principals by header: a busy caller sends the same few headers over and over.
  private readonly verified = new Map<string, Verified>();

  /** `secrets`: current first, then previous ones; none = unsigned accepted (development only). */
  constructor(
    readonly audience: string,
    private readonly secrets: readonly string[],
  ) {}

  /** The caller's principal, or undefined when none was sent; UNAUTHENTICATED when it does not verify. */
  read(metadata: Metadata): Principal | undefined {
    const header = metadata.get(PRINCIPAL_HEADER)[0];
    if (header === undefined) return undefined;
    if (typeof header !== "string" || header === "")
      throw errors.unauthenticated("malformed principal metadata");
    let verified = this.verified.get(header);
    if (this.secrets.length > 0) {
      const given = metadata.get(PRINCIPAL_SIGNATURE_HEADER)[0];
      if (typeof given !== "string" || given === "")
        throw errors.unauthenticated("principal signature missing");
      const actual = Buffer.from(given, "hex");
      // A header seen before is compared with the signature that verified it, in constant time.
      // Another signature may still be right: during a rotation the same header comes signed with
      // the old secret from one caller and the new one from another, so it is checked in full.
      if (!verified || !matches(actual, verified.signature)) {
        if (!this.secrets.some((secret) => matches(actual, Buffer.from(hmac(header, secret), "hex"))))
          throw errors.unauthenticated("principal signature invalid");
        verified = this.remember(header, actual);
      }
    } else if (!verified) {
      verified = this.remember(header, Buffer.alloc(0));
    }
    if (verified.expiresAt + CLOCK_SKEW_MS < Date.now()) throw errors.unauthenticated("principal expired");
    return verified.principal;
  }

  private remember(header: string, signature: Buffer): Verified {
    const { principal, audience, expiresAt } = decode(header);
    if (audience !== this.audience) throw errors.unauthenticated("principal signed for another service");
    const verified = { principal, expiresAt, signature };
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
    this.verified.set(header, verified);
    verifiedUntil.set(principal, expiresAt);
    return verified;
  }
}

function matches(actual: Buffer, expected: Buffer): boolean {
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
