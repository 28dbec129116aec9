import type { FastifyReply } from "fastify";

/** One field-level complaint inside a problem document. */
export interface ProblemViolation {
  field: string;
  message: string;
}

/** The RFC 9457 body every error response carries. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ProblemViolation[];
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** An error that already knows its HTTP shape; thrown by plugins and routes, rendered by the error handler. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly violations: ProblemViolation[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { violations?: ProblemViolation[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
    this.status = status;
    this.code = code;
    this.violations = options.violations ?? [];
    this.headers = options.headers ?? {};
  }
}

/** Builds the problem document for a status and stable code. */
export function problemBody(
  status: number,
  code: string,
  detail: string,
  violations: ProblemViolation[] = [],
): ProblemBody {
  const body: ProblemBody = {
    // A stable, dereferenceable-looking type per code; clients switch on `code`.
    type: `https://toko.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: titles[status] ?? "Error",
    status,
    detail,
    code,
  };
  if (violations.length > 0) body.errors = violations;
  return body;
}

/** Sends a problem+json response. */
export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply
    .code(problem.status)
    .type("application/problem+json")
    .send(problemBody(problem.status, problem.code, problem.message, problem.violations));
}
