import { LinkCreated } from "@toko/contracts/toko/shortener/v1/events";
import type { Outbox } from "@toko/kit";
import type { Link } from "../link.ts";
import type { LinkEvents } from "../service.ts";

/** The fully qualified event type on the bus. */
export const LINK_CREATED = "toko.shortener.v1.LinkCreated";

/** LinkEvents over the kit's transactional outbox: the event commits with the link or not at all. */
export function outboxLinkEvents(outbox: Outbox): LinkEvents {
  return {
    async linkCreated(trx, link: Link) {
      const payload = LinkCreated.encode({
        code: link.code,
        url: link.url,
        ownerId: link.ownerId,
        expiresAt: link.expiresAt ?? undefined,
        createdAt: link.createdAt,
      }).finish();
      await outbox.add(trx, [
        { type: LINK_CREATED, subject: link.code, payload, occurredAt: link.createdAt },
      ]);
    },
  };
}
