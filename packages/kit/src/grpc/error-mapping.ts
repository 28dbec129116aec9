import { Metadata, type ServiceError, status as Status, type StatusObject } from "@grpc/grpc-js";
import { ErrorDetail } from "@toko/contracts/toko/common/v1/error";
import { DomainError, type ErrorKind } from "../errors/domain-error.ts";
import { RemoteCallError } from "./remote-call-error.ts";

/** Trailer carrying the encoded `toko.common.v1.ErrorDetail` of a domain error. */
export const ERROR_TRAILER = "toko-error-bin";

/** The one mapping between domain error kinds and gRPC status codes (a bijection). */
const kindToStatus: Record<ErrorKind, Status> = {
  invalid: Status.INVALID_ARGUMENT,
  not_found: Status.NOT_FOUND,
  conflict: Status.ALREADY_EXISTS,
  failed_precondition: Status.FAILED_PRECONDITION,
  permission_denied: Status.PERMISSION_DENIED,
  unauthenticated: Status.UNAUTHENTICATED,
  rate_limited: Status.RESOURCE_EXHAUSTED,
  unavailable: Status.UNAVAILABLE,
};

const statusToKind = new Map<Status, ErrorKind>(
  Object.entries(kindToStatus).map(([kind, code]) => [code, kind as ErrorKind]),
);

/** The gRPC status for a domain error kind. */
export function statusForKind(kind: ErrorKind): Status {
  return kindToStatus[kind];
}

/** The gRPC status to send for a domain error, with its details in the `toko-error-bin` trailer. */
export function domainErrorStatus(error: DomainError): Partial<StatusObject> {
  const metadata = new Metadata();
  const detail = ErrorDetail.encode({
    code: error.code,
    message: error.message,
    violations: error.violations.map((v) => ({ field: v.field, message: v.message })),
  }).finish();
  metadata.set(ERROR_TRAILER, Buffer.from(detail));
  return { code: kindToStatus[error.kind], details: error.message, metadata };
}

/** What an unexpected error looks like to the caller: nothing about the internals. */
export const internalErrorStatus: Partial<StatusObject> = {
  code: Status.INTERNAL,
  details: "internal error",
};

/**
 * Turns a failed call back into what the callee threw: a `DomainError` when the trailer is
 * present (same kind, code, message and violations), otherwise a `RemoteCallError`.
 */
export function errorFromStatus(method: string, error: ServiceError): DomainError | RemoteCallError {
  const kind = statusToKind.get(error.code);
  const raw = kind ? error.metadata?.get(ERROR_TRAILER)[0] : undefined;
  if (kind && raw instanceof Buffer) {
    try {
      const detail = ErrorDetail.decode(raw);
      return new DomainError(
        kind,
        detail.code,
        detail.message,
        detail.violations.map((v) => ({ field: v.field, message: v.message })),
      );
    } catch {
      // A corrupt trailer is a transport problem; fall through to RemoteCallError.
    }
  }
  return new RemoteCallError(method, error.code, error.details);
}
