import { status as GrpcStatus } from "@grpc/grpc-js";
import { DomainError, type ErrorKind } from "@toko/kit";
import { HttpProblem } from "./problem.ts";

/**
 * The one place that turns what a service call threw into an HTTP problem: remote domain
 * errors by kind, transport failures by gRPC status. Bad input is never a 5xx here.
 */
const statusByKind: Record<ErrorKind, number> = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  failed_precondition: 409,
  permission_denied: 403,
  unauthenticated: 401,
  rate_limited: 429,
  unavailable: 503,
};

/** Transport failures (the kit's RemoteCallError carries a numeric gRPC `status`). */
function transportProblem(status: number, method: string): HttpProblem {
  switch (status) {
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new HttpProblem(504, "UPSTREAM_TIMEOUT", `the ${method} call did not answer in time`);
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.CANCELLED:
      return new HttpProblem(503, "SERVICE_UNAVAILABLE", `the service behind ${method} is unavailable`, {
        headers: { "retry-after": "1" },
      });
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return new HttpProblem(429, "RATE_LIMITED", "too many requests");
    case GrpcStatus.UNAUTHENTICATED:
      return new HttpProblem(401, "UNAUTHENTICATED", "authentication required");
    case GrpcStatus.PERMISSION_DENIED:
      return new HttpProblem(403, "FORBIDDEN", "not allowed");
    case GrpcStatus.NOT_FOUND:
      return new HttpProblem(404, "NOT_FOUND", "not found");
    case GrpcStatus.INVALID_ARGUMENT:
      return new HttpProblem(422, "VALIDATION_FAILED", "the request was rejected as invalid");
    default:
      return new HttpProblem(502, "UPSTREAM_ERROR", `the ${method} call failed`);
  }
}

/** Maps an error thrown by a gRPC client call to a problem, or returns undefined if it is not one. */
export function problemFromServiceError(error: unknown): HttpProblem | undefined {
  if (error instanceof DomainError) {
    return new HttpProblem(statusByKind[error.kind], error.code, error.message, {
      violations: error.violations.map((v) => ({ field: v.field, message: v.message })),
    });
  }
  if (error instanceof Error && error.name === "RemoteCallError") {
    const { status, method } = error as Error & { status?: unknown; method?: unknown };
    if (typeof status === "number")
      return transportProblem(status, typeof method === "string" ? method : "service");
  }
  return undefined;
}
