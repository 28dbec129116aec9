import { openSealedSecret } from "@toko/kit";
import { DEFAULT_LOCALE, type SealedJson } from "../domain/model.ts";
import { allows } from "../domain/preferences.ts";
import { renderEmail, renderSms } from "../domain/render.ts";
import { copyFor } from "../domain/templates.ts";
import { deliverTo } from "./dispatch.ts";
import type { Delivery, NotificationDeps, NotificationTx, Payer } from "./ports.ts";

/** What the remote step of a delivery did. */
export type DeliveryOutcome =
  | { outcome: "sent"; address: string; providerId: string }
  | { outcome: "skipped"; reason: string }
  | { outcome: "gone" };

const bytes = (b64: string): Buffer => Buffer.from(b64, "base64");

/** Opens a sealed link's token (only here, in memory, to send it). */
function openLink(privateKey: string | undefined, link: NonNullable<Delivery["data"]["secretLink"]>): string {
  if (!privateKey)
    throw new Error("TOKO_NOTIFICATION_PRIVATE_KEY is not set: a sealed link cannot be opened");
  const s: SealedJson = link.sealed;
  const token = openSealedSecret(
    privateKey,
    {
      keyId: s.keyId,
      ephemeralPublicKey: bytes(s.ephemeralPublicKey),
      nonce: bytes(s.nonce),
      ciphertext: bytes(s.ciphertext),
    },
    link.context,
  );
  return `${link.prefix}${encodeURIComponent(token)}`;
}

/**
 * The remote step of one email or SMS delivery: reads who the recipient is now, renders the
 * message in their locale (opening a sealed link at this moment only), and hands it to the
 * channel. A failure is written to the delivery log before it is rethrown (the timer retries
 * with the channel's backoff; after its last attempt the delivery is failed and a dead letter).
 */
export async function sendDelivery(
  deps: NotificationDeps,
  deliveryId: string,
  attempt: number,
): Promise<DeliveryOutcome> {
  const delivery = await deps.reads.delivery(deliveryId);
  if (delivery?.status !== "pending") return { outcome: "gone" };
  try {
    return await attemptDelivery(deps, delivery);
  } catch (error) {
    const final = attempt >= deps.settings.maxAttempts[delivery.channel];
    await deps.reads.recordFailure(
      delivery.id,
      attempt,
      error instanceof Error ? error.message : String(error),
      final,
    );
    throw error;
  }
}

async function attemptDelivery(deps: NotificationDeps, d: Delivery): Promise<DeliveryOutcome> {
  const contact = await deps.directory.contact(d.userId);
  if (!contact) return { outcome: "skipped", reason: "the user no longer exists" };
  const { locale, choices } = await deps.reads.profile(d.userId);
  // Preferences may have changed since the message was queued (an unsubscribe in between).
  if (!allows(choices, d.channel, d.category))
    return { outcome: "skipped", reason: "turned off by the user" };
  const secretUrl = d.data.secretLink
    ? openLink(deps.settings.sealingPrivateKey, d.data.secretLink)
    : undefined;
  const copy = copyFor(d.kind, d.data.values, {
    locale: locale ?? DEFAULT_LOCALE,
    name: contact.name,
    origin: deps.settings.publicOrigin,
    secretUrl,
  });
  if (d.channel === "sms") {
    if (!contact.phone) return { outcome: "skipped", reason: "no phone number" };
    const receipt = await deps.channels.sms.send({ id: d.id, to: contact.phone, body: renderSms(copy) });
    return { outcome: "sent", address: contact.phone, providerId: receipt.providerId };
  }
  const to = d.data.emailTo || contact.email;
  if (!to) return { outcome: "skipped", reason: "no email address" };
  const headers: Record<string, string> = {};
  let unsubscribe: { text: string; url: string } | undefined;
  if (d.category === "marketing") {
    const token = deps.unsubscribe.sign({ userId: d.userId, channel: "email", category: d.category });
    const url = `${deps.settings.unsubscribeUrl}?token=${encodeURIComponent(token)}`;
    // RFC 8058: a one-click POST to the URL unsubscribes.
    headers["List-Unsubscribe"] = `<${url}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    unsubscribe = {
      text: (locale ?? DEFAULT_LOCALE) === "id" ? "Berhenti berlangganan" : "Unsubscribe",
      url,
    };
  }
  const mail = renderEmail(copy, unsubscribe);
  const receipt = await deps.channels.email.send({ id: d.id, to, ...mail, headers });
  return { outcome: "sent", address: to, providerId: receipt.providerId };
}

/** Writes a delivery's outcome with the timer's completion. */
export async function recordDelivery(
  tx: NotificationTx,
  deliveryId: string,
  result: DeliveryOutcome,
  now: Date,
) {
  if (result.outcome === "sent")
    await tx.deliveries.markSent(deliveryId, result.address, result.providerId, now);
  else if (result.outcome === "skipped") await tx.deliveries.markSkipped(deliveryId, result.reason);
}

/** The remote step for a shop's message: who owns the shop. */
export async function resolveShopOwner(
  deps: NotificationDeps,
  shopMessageId: string,
): Promise<string | undefined> {
  const pending = await deps.uow.run((tx) => tx.shopMessages.get(shopMessageId));
  if (!pending) return undefined;
  return deps.directory.shopOwner(pending.shopId);
}

/** Hands a shop's message to its owner (or drops it when the shop is gone). */
export async function recordShopOwner(
  deps: NotificationDeps,
  tx: NotificationTx,
  shopMessageId: string,
  ownerId: string | undefined,
): Promise<void> {
  const pending = await tx.shopMessages.get(shopMessageId);
  if (!pending) return;
  await tx.shopMessages.remove(shopMessageId);
  if (ownerId) await deliverTo(tx, ownerId, pending.message, { now: deps.clock.now(), newId: deps.newId });
}

/** The remote step for a payer's message: who paid the payment, and how. */
export async function resolvePayer(
  deps: NotificationDeps,
  payerMessageId: string,
): Promise<Payer | undefined> {
  const pending = await deps.uow.run((tx) => tx.payerMessages.get(payerMessageId));
  if (!pending) return undefined;
  return deps.directory.payer(pending.paymentId);
}

/**
 * Hands a payer's message to the payer, with the method and the orders the payment service
 * knows (or drops it when the payment is unknown).
 */
export async function recordPayer(
  deps: NotificationDeps,
  tx: NotificationTx,
  payerMessageId: string,
  payer: Payer | undefined,
): Promise<void> {
  const pending = await tx.payerMessages.get(payerMessageId);
  if (!pending) return;
  await tx.payerMessages.remove(payerMessageId);
  if (!payer) return;
  const message = {
    ...pending.message,
    data: {
      ...pending.message.data,
      method: payer.method,
      paymentChannel: payer.channel,
      orderIds: payer.orderIds.join(", "),
    },
  };
  await deliverTo(tx, payer.userId, message, { now: deps.clock.now(), newId: deps.newId });
}
