import { errors } from "@toko/kit";
import type { DevMailRecord, NotificationDeps } from "./ports.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The mail catcher exists in development only: elsewhere it is NOT_FOUND, like an unknown page. */
function requireDevelopment(deps: NotificationDeps): void {
  if (!deps.settings.development) throw errors.notFound("page");
}

export async function listDevMail(
  deps: NotificationDeps,
  page: { limit: number; cursor: string },
): Promise<{ mails: DevMailRecord[]; nextCursor: string }> {
  requireDevelopment(deps);
  const limit = page.limit === 0 ? 50 : Math.min(Math.max(page.limit, 1), 100);
  if (page.cursor !== "" && !UUID.test(page.cursor)) {
    throw errors.invalid("The cursor is not valid", [
      { field: "cursor", message: "is not a cursor of this list" },
    ]);
  }
  const rows = await deps.reads.devMail.list(limit + 1, page.cursor || undefined);
  const mails = rows.slice(0, limit);
  return { mails, nextCursor: rows.length > limit ? (mails.at(-1)?.id ?? "") : "" };
}

export async function getDevMail(deps: NotificationDeps, id: string): Promise<DevMailRecord> {
  requireDevelopment(deps);
  const mail = UUID.test(id) ? await deps.reads.devMail.get(id) : undefined;
  if (!mail) throw errors.notFound("mail");
  return mail;
}
