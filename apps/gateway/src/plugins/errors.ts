import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerHookHandler,
} from "fastify";
import { problemFromServiceError } from "../grpc-errors.ts";
import { HttpProblem, type ProblemViolation, sendProblem } from "../problem.ts";

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns Ajv's issues into `{ field, message }` pairs named the way the API names fields. */
function violationsOf(issues: readonly AjvIssue[], context: string | undefined): ProblemViolation[] {
  return issues.map((issue) => {
    const path = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    const missing = issue.params?.missingProperty;
    const extra = issue.params?.additionalProperty;
    const leaf = typeof missing === "string" ? missing : typeof extra === "string" ? extra : "";
    let field = [path, leaf].filter((p) => p.length > 0).join(".");
    if (context && context !== "body") field = field ? `${context}.${field}` : context;
    return { field: field || (context ?? "body"), message: issue.message ?? "is invalid" };
  });
}

const notFound = () => new HttpProblem(404, "NOT_FOUND", "no such resource");

/** Router failures before any route matched (a path parameter too long, a malformed URL). */
export function frameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(reply, toProblem(error));
}

/** Classifies anything thrown while serving a request as a problem with a stable code. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const fromService = problemFromServiceError(error);
  if (fromService) return fromService;
  const e = error as Partial<FastifyError> & { validation?: AjvIssue[]; validationContext?: string };
  // An id in the path that cannot exist (wrong shape) is an unknown id like any other (API.md).
  if (Array.isArray(e.validation) && e.validationContext === "params") return notFound();
  if (Array.isArray(e.validation)) {
    return new HttpProblem(422, "VALIDATION_FAILED", "the request does not match the schema", {
      violations: violationsOf(e.validation, e.validationContext),
    });
  }
  switch (e.code) {
    case "FST_ERR_MAX_PARAM_LENGTH":
      return notFound();
    case "FST_ERR_BAD_URL":
      return new HttpProblem(400, "BAD_REQUEST", "the URL is not validly encoded");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new HttpProblem(400, "MALFORMED_JSON", "the request body is not valid JSON");
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HttpProblem(413, "PAYLOAD_TOO_LARGE", "the request body is too large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HttpProblem(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new HttpProblem(400, "BAD_REQUEST", "Content-Length does not match the body");
  }
  if (error instanceof SyntaxError && e.statusCode === 400) {
    return new HttpProblem(400, "MALFORMED_JSON", "the request body is not valid JSON");
  }
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    return new HttpProblem(
      status,
      status === 408 ? "REQUEST_TIMEOUT" : "BAD_REQUEST",
      e.message ?? "bad request",
    );
  }
  return new HttpProblem(500, "INTERNAL", "an unexpected error occurred");
}

/**
 * Every error and unknown route answers problem+json; only real 5xx are logged as errors.
 * `unmatched` runs before the not-found answer (unknown routes have no route hooks); `fallback`
 * may answer an unmatched request instead (the web app), returning true when it did.
 */
export function installErrorHandling(
  app: FastifyInstance,
  unmatched?: preHandlerHookHandler,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500 && problem.status !== 503 && problem.status !== 504) {
      request.log.error({ err: error }, "request failed");
    } else if (problem.status >= 500) {
      request.log.warn({ code: problem.code, err: error }, "upstream unavailable");
    }
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler(unmatched ? { preHandler: unmatched } : {}, (request, reply) => {
    // The web app's files and routes are whatever no API route matched.
    if (fallback?.(request, reply)) return reply;
    return sendProblem(
      reply,
      new HttpProblem(404, "NOT_FOUND", `no route for ${request.method} ${request.url.split("?")[0]}`),
    );
  });
}
