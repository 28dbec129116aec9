import type { Problem } from "./api-types.ts";

/** What the person reads for a failed request: one sentence, the details to fix, a reference. */
export interface ProblemText {
  message: string;
  details: string[];
  code: string | undefined;
}

/**
 * Words for a problem+json answer: the translated sentence for its `code` when there is one
 * (`translate` answers "" when there is not), else the server's detail; field errors of a 422
 * as details; network failures and 5xx as "try again" sentences, never the server's internals.
 */
export function problemText(problem: Problem, translate: (key: string) => string): ProblemText {
  const known = problem.code ? translate(`problem.${problem.code}`) : "";
  const details = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  if (problem.status === 0) return { message: translate("problem.NETWORK"), details: [], code: problem.code };
  if (problem.status >= 500)
    return { message: translate("problem.UNAVAILABLE"), details: [], code: problem.code };
  // The server's own sentence, when it adds to the translated one (which item, which limit).
  if (known && problem.detail && problem.code !== "VALIDATION_FAILED") details.unshift(problem.detail);
  return {
    message: known || problem.detail || problem.title || translate("problem.generic"),
    details,
    code: problem.code,
  };
}
