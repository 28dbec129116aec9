import { errors, type Principal } from "@toko/kit";
import type { InboxItem, NotificationDeps } from "./ports.ts";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A page of the caller's inbox, newest first; the cursor is the last item's id. */
export async function listInbox(
  deps: NotificationDeps,
  principal: Principal,
  page: { limit: number; cursor: string },
  unreadOnly: boolean,
): Promise<{ items: InboxItem[]; unread: number; nextCursor: string }> {
  const limit = page.limit === 0 ? 20 : page.limit;
  if (limit < 1 || limit > 100)
    throw errors.invalid("limit must be 1 to 100", [{ field: "limit", message: "must be 1 to 100" }]);
  if (page.cursor !== "" && !ID.test(page.cursor)) {
    throw errors.invalid("The cursor is not valid", [
      { field: "cursor", message: "is not a cursor of this list" },
    ]);
  }
  const rows = await deps.reads.inbox(principal.subject, limit + 1, page.cursor || undefined, unreadOnly);
  const items = rows.slice(0, limit);
  const unread = await deps.reads.unread(principal.subject);
  return { items, unread, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? "") : "" };
}

/** Marks one of the caller's items read; another user's or an unknown id is NOT_FOUND. */
export async function markRead(deps: NotificationDeps, principal: Principal, id: string): Promise<InboxItem> {
  if (!ID.test(id)) throw errors.notFound("notification");
  const item = await deps.uow.run((tx) => tx.inbox.markRead(principal.subject, id, deps.clock.now()));
  if (!item) throw errors.notFound("notification");
  return item;
}
