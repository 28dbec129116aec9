import type { Channel, Message } from "../domain/model.ts";
import { DEFAULT_LOCALE } from "../domain/model.ts";
import { type NotificationEvent, plan } from "../domain/plan.ts";
import { allows } from "../domain/preferences.ts";
import { renderInApp } from "../domain/render.ts";
import { copyFor } from "../domain/templates.ts";
import type { NotificationTx } from "./ports.ts";

/** Ids and time for the writes of one decision. */
export interface DispatchContext {
  now: Date;
  newId(): string;
}

/** The de-duplication key of one message on one channel for one recipient. */
export const dedupKey = (message: Message, userId: string, channel: Channel): string =>
  `${message.key}/${userId}/${channel}`;

/**
 * Handles one event in the consumer's transaction: plans its messages and hands each to its
 * recipient (a user now; a shop or a payer once a timer has found who that is).
 */
export async function handleEvent(
  tx: NotificationTx,
  event: NotificationEvent,
  ctx: DispatchContext,
): Promise<void> {
  for (const message of plan(event)) await dispatch(tx, message, ctx);
}

export async function dispatch(tx: NotificationTx, message: Message, ctx: DispatchContext): Promise<void> {
  if ("userId" in message.recipient) {
    await deliverTo(tx, message.recipient.userId, message, ctx);
    return;
  }
  // The shop's owner (product service) or the payer (payment service) is asked for by a timer,
  // outside any transaction.
  const id = ctx.newId();
  if ("shopId" in message.recipient) {
    await tx.shopMessages.add(id, message.recipient.shopId, message, ctx.now);
    await tx.timers.resolveShop(id, ctx.now);
  } else {
    await tx.payerMessages.add(id, message.recipient.paymentId, message, ctx.now);
    await tx.timers.resolvePayer(id, ctx.now);
  }
}

/**
 * Writes a message for one user on each channel the message uses and the user's preferences
 * allow: the in-app item now, email and SMS as pending deliveries with a timer each. Every write
 * is keyed (message, recipient, channel), so doing it twice changes nothing. Returns how many
 * channels took it.
 */
export async function deliverTo(
  tx: NotificationTx,
  userId: string,
  message: Message,
  ctx: DispatchContext,
): Promise<number> {
  const { locale, choices } = await tx.settings.profile(userId);
  let taken = 0;
  for (const channel of message.channels) {
    if (!allows(choices, channel, message.category)) continue;
    const key = dedupKey(message, userId, channel);
    if (channel === "in_app") {
      const copy = copyFor(message.kind, message.data, {
        locale: locale ?? DEFAULT_LOCALE,
        name: "",
        origin: "",
      });
      const view = renderInApp(copy);
      const added = await tx.inbox.add(
        {
          id: ctx.newId(),
          userId,
          category: message.category,
          kind: message.kind,
          title: view.title,
          body: view.body,
          link: view.link,
          readAt: undefined,
          createdAt: ctx.now,
        },
        key,
      );
      if (added) taken += 1;
      continue;
    }
    const id = ctx.newId();
    const added = await tx.deliveries.add(
      {
        id,
        dedupKey: key,
        userId,
        channel,
        category: message.category,
        kind: message.kind,
        data: { values: message.data, secretLink: message.secretLink, emailTo: message.emailTo },
        status: "pending",
        attempts: 0,
      },
      ctx.now,
    );
    if (added) {
      await tx.timers.deliver(channel, id, ctx.now);
      taken += 1;
    }
  }
  return taken;
}
