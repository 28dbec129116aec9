import { Type } from "@sinclair/typebox";

/** RFC 9457 problem document, as every error response is shaped. */
export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String({ description: "stable machine code, e.g. VALIDATION_FAILED" }),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
});

/** Problem responses for the given statuses, for a route's `response` schema. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
