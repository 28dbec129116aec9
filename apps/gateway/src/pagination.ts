import { type Static, Type } from "@sinclair/typebox";

/** `?limit=&cursor=` as API.md defines it: limit 1–100, default 20; cursor opaque. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: "next_cursor of the previous page" })),
});
export type PageQuery = Static<typeof PageQuery>;

/** The list envelope `{ items, next_cursor }` for an item schema. */
export const ListOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });

/** Query → the services' `PageRequest`. */
export function pageRequest(query: PageQuery): { limit: number; cursor: string } {
  return { limit: query.limit ?? 20, cursor: query.cursor ?? "" };
}

/** Items plus a service's `PageResponse` → the public list envelope (empty cursor → null). */
export function listResponse<T>(
  items: T[],
  page: { nextCursor: string } | undefined,
): {
  items: T[];
  next_cursor: string | null;
} {
  const next = page?.nextCursor ?? "";
  return { items, next_cursor: next === "" ? null : next };
}
