import { Type } from "@sinclair/typebox";
import { ListOf, PageQuery } from "../../pagination.ts";
import { pathId } from "../path-params.ts";
import { ProblemSchema } from "../problem-schema.ts";

const Timestamp = Type.String({ format: "date-time" });

/** `POST /api/v1/links` body. Target rules (scheme, loops, credentials) are the service's to judge. */
export const CreateLinkBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: "http(s) target, at most 2,048 characters",
    }),
    alias: Type.Optional(
      Type.String({ minLength: 3, maxLength: 32, description: "custom code: 3–32 of A-Z a-z 0-9 _ -" }),
    ),
    expires_at: Type.Optional(
      Type.Union([Timestamp, Type.Null()], { description: "RFC 3339; absent = never" }),
    ),
  },
  { additionalProperties: false },
);

export const LinkView = Type.Object({
  code: Type.String(),
  short_url: Type.String(),
  url: Type.String(),
  expires_at: Type.Union([Timestamp, Type.Null()]),
  created_at: Type.Optional(Timestamp),
  disabled: Type.Optional(Type.Boolean()),
});

export const CodeParams = Type.Object({ code: pathId({ maxLength: 64 }) });

const Count = (key: string, name: string) =>
  Type.Array(Type.Object({ [key]: Type.String(), clicks: Type.Integer() }), { description: name });

export const LinkStats = Type.Object({
  total: Type.Integer(),
  per_day: Count("date", "clicks per UTC day (YYYY-MM-DD)"),
  referrers: Count("host", "clicks per referrer host"),
  user_agents: Count("family", "clicks per browser family"),
});

export const LinkList = ListOf(LinkView);
export { PageQuery };

/** Problem responses a link endpoint can answer, for the OpenAPI document. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { ...ProblemSchema, description: "problem+json" }]));
