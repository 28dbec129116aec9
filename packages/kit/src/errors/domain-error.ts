/**
 * The category of an expected failure. Transports map it once: gRPC status between services,
 * problem+json at the gateway. Domain code picks a kind and a stable code, never a status.
 */
export type ErrorKind =
  | "invalid"
  | "not_found"
  | "conflict"
  | "failed_precondition"
  | "permission_denied"
  | "unauthenticated"
  | "rate_limited"
  | "unavailable";

export interface FieldViolation {
  field: string;
  message: string;
}

/** An expected failure with a stable machine code such as `OUT_OF_STOCK`. */
export class DomainError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly violations: readonly FieldViolation[];

  constructor(kind: ErrorKind, code: string, message: string, violations: readonly FieldViolation[] = []) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.code = code;
    this.violations = violations;
  }
}

/** Shorthands for the common kinds with the API's standard codes. */
export const errors = {
  invalid: (message: string, violations: readonly FieldViolation[] = []) =>
    new DomainError("invalid", "VALIDATION_FAILED", message, violations),
  notFound: (what: string) => new DomainError("not_found", "NOT_FOUND", `${what} not found`),
  conflict: (code: string, message: string) => new DomainError("conflict", code, message),
  precondition: (code: string, message: string) => new DomainError("failed_precondition", code, message),
  forbidden: (message = "not allowed") => new DomainError("permission_denied", "FORBIDDEN", message),
  unauthenticated: (message = "authentication required") =>
    new DomainError("unauthenticated", "UNAUTHENTICATED", message),
};
