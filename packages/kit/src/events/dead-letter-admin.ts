import {
  type DeadLetter as DeadLetterMessage,
  type DeadLetterServiceServer,
  DeadLetterServiceService,
} from "@toko/contracts/toko/ops/v1/dead_letters";
import { errors } from "../errors/domain-error.ts";
import type { CallContext } from "../grpc/call-context.ts";
import { requirePrincipal } from "../grpc/call-context.ts";
import { type ImplementedService, implement } from "../grpc/implement.ts";
import type { DeadLetter, DeadLetterStore } from "./dead-letters.ts";

function toMessage(d: DeadLetter): DeadLetterMessage {
  return {
    id: d.id,
    group: d.group,
    eventId: d.eventId,
    eventType: d.type,
    subject: d.subject,
    error: d.error,
    attempts: d.attempts,
    status: d.status,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

function requireAdmin(ctx: CallContext): void {
  if (!requirePrincipal(ctx).roles.includes("admin"))
    throw errors.forbidden("dead letters need the admin role");
}

/** `toko.ops.v1.DeadLetterService` over a store, for `startService({ services: [...] })`. */
export function deadLetterAdminService(store: DeadLetterStore): ImplementedService {
  return implement<DeadLetterServiceServer>(DeadLetterServiceService, {
    async listDeadLetters(request, ctx) {
      requireAdmin(ctx);
      const limit = request.page?.limit || 20;
      let afterId: number | undefined;
      if (request.page?.cursor) {
        afterId = Number(request.page.cursor);
        if (!Number.isSafeInteger(afterId) || afterId < 0) {
          throw errors.invalid("invalid page cursor", [{ field: "page.cursor", message: "not a cursor" }]);
        }
      }
      const page = await store.list({ group: request.group || undefined, limit, afterId });
      return {
        deadLetters: page.items.map(toMessage),
        page: { nextCursor: page.nextAfterId === undefined ? "" : String(page.nextAfterId) },
      };
    },
    async redriveDeadLetter(request, ctx) {
      requireAdmin(ctx);
      return { deadLetter: toMessage(await store.redrive(request.id)) };
    },
  });
}
