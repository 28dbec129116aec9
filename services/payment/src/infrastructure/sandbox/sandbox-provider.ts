import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DomainError, errors, uuidv7 } from "@toko/kit";
import type { Kysely, Selectable } from "kysely";
import type { Instructions, SandboxSession, VerifiedNotification } from "../../application/model.ts";
import type { Charge, PaymentProvider, SandboxControls } from "../../application/ports.ts";
import type { VaBank } from "../../domain/payment-method.ts";
import type { PaymentDatabase } from "../schema.ts";
import { scheduleDelivery } from "./delivery-timer.ts";
import { qrisPayload } from "./qris.ts";
import { verifySignature } from "./signing.ts";
import { newVirtualAccount } from "./va-numbers.ts";

/** The sandbox's 3-D Secure code (as gateways' sandboxes publish a fixed one). */
export const SANDBOX_OTP = "112233";

const WALLET_ACQUIRER: Record<string, string> = {
  gopay: "COM.GO-JEK.WWW",
  ovo: "ID.CO.OVO.WWW",
  dana: "ID.DANA.WWW",
  shopeepay: "ID.CO.SHOPEE.WWW",
};
const CARD_BRANDS = ["visa", "mastercard", "jcb", "amex"];

export interface SandboxOptions {
  db: Kysely<PaymentDatabase>;
  secret: string;
  publicOrigin: string;
  toleranceSeconds: number;
}

type ChargeRow = Selectable<PaymentDatabase["sandbox_charges"]>;

/** A notification body as the sandbox sends it. */
interface SandboxNotification {
  id: string;
  payment_id: string;
  reference: string;
  event: "payment.succeeded" | "payment.failed";
  amount: number;
  currency: "IDR";
  occurred_at: string;
}

/**
 * The built-in sandbox gateway, behaving like Midtrans or Xendit in sandbox mode: it opens
 * charges (VA numbers in each bank's format, QRIS payloads and app links for e-wallets, a hosted
 * card form with a 3-D Secure step), and when the payer acts it queues a signed notification to
 * Toko's webhook, delivered durably with retries (see delivery-timer.ts). Its records live in
 * its own tables, as a real provider keeps them on its side.
 */
export function sandboxProvider(options: SandboxOptions): PaymentProvider & SandboxControls {
  const { db, secret } = options;
  const pageUrl = (paymentId: string) =>
    `${options.publicOrigin}/payments/sandbox/${sessionToken(paymentId)}`;

  function sessionToken(paymentId: string): string {
    const mac = createHmac("sha256", secret).update(`sandbox-page:${paymentId}`).digest("base64url");
    return `${paymentId}.${mac.slice(0, 32)}`;
  }

  function paymentOfToken(token: string): string | null {
    const [paymentId, mac] = token.split(".");
    if (!paymentId || !mac || token.length > 200) return null;
    const expected = Buffer.from(sessionToken(paymentId));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given) ? paymentId : null;
  }

  function instructionsFor(charge: Charge, reference: string): Instructions {
    const redirectUrl = pageUrl(charge.paymentId);
    switch (charge.method) {
      case "bank_transfer_va":
        return { bank: charge.channel, ...newVirtualAccount(charge.channel as VaBank), redirectUrl };
      case "ewallet":
        return {
          // In the sandbox the app link opens the e-wallet simulator page.
          deeplinkUrl: `${redirectUrl}?app=${charge.channel}`,
          qrString: qrisPayload({
            acquirer: WALLET_ACQUIRER[charge.channel] ?? "ID.CO.TOKO.SANDBOX",
            reference,
            amount: charge.amount,
            merchant: "TOKO",
            city: "JAKARTA",
          }),
          redirectUrl,
        };
      case "credit_card":
        return { redirectUrl };
      case "cod":
        return { note: `Pay Rp${charge.amount.toLocaleString("id-ID")} in cash to the courier on delivery` };
    }
  }

  async function queue(charge: ChargeRow, outcome: "success" | "failure"): Promise<boolean> {
    return db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom("sandbox_charges")
        .selectAll()
        .where("payment_id", "=", charge.payment_id)
        .forUpdate()
        .executeTakeFirst();
      if (locked?.outcome !== "") return false;
      await trx
        .updateTable("sandbox_charges")
        .set({ step: "done", outcome })
        .where("payment_id", "=", charge.payment_id)
        .execute();
      const body: SandboxNotification = {
        id: `ntf_${uuidv7().replaceAll("-", "")}`,
        payment_id: locked.payment_id,
        reference: locked.reference,
        event: outcome === "success" ? "payment.succeeded" : "payment.failed",
        amount: Number(locked.amount),
        currency: "IDR",
        occurred_at: new Date().toISOString(),
      };
      const delivery = await trx
        .insertInto("sandbox_deliveries")
        .values({
          notification_id: body.id,
          payment_id: body.payment_id,
          body: JSON.stringify(body),
          delivered_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await scheduleDelivery(trx, String(delivery.id), new Date());
      return true;
    });
  }

  const chargeOf = (paymentId: string) =>
    db.selectFrom("sandbox_charges").selectAll().where("payment_id", "=", paymentId).executeTakeFirst();

  function sessionOf(row: ChargeRow, instructions: Instructions): SandboxSession {
    return {
      paymentId: row.payment_id,
      method: row.method,
      channel: row.channel,
      amount: Number(row.amount),
      status: row.outcome === "" ? "PENDING" : row.outcome === "success" ? "PAID" : "DECLINED",
      instructions,
      step: row.step as SandboxSession["step"],
      card: row.card,
      expiresAt: row.expires_at,
    };
  }

  async function loadSession(token: string): Promise<{ row: ChargeRow; session: SandboxSession } | null> {
    const paymentId = paymentOfToken(token);
    if (!paymentId) return null;
    const row = await chargeOf(paymentId);
    if (!row) return null;
    const payment = await db
      .selectFrom("payments")
      .select("instructions")
      .where("id", "=", paymentId)
      .executeTakeFirst();
    return { row, session: sessionOf(row, (payment?.instructions ?? {}) as Instructions) };
  }

  return {
    name: "sandbox",

    async open(charge) {
      const reference = `sbx_${randomBytes(12).toString("hex")}`;
      const instructions = instructionsFor(charge, reference);
      if (charge.method !== "cod") {
        await db
          .insertInto("sandbox_charges")
          .values({
            payment_id: charge.paymentId,
            reference,
            method: charge.method,
            channel: charge.channel,
            amount: charge.amount,
            instructions: JSON.stringify(instructions),
            expires_at: charge.expiresAt,
            step: charge.method === "credit_card" ? "card" : "confirm",
          })
          .execute();
      }
      return { reference, instructions };
    },

    refund({ refundId }) {
      // The sandbox settles refunds at once; a real gateway confirms them by notification.
      return {
        reference: `sbx_rf_${createHmac("sha256", secret).update(refundId).digest("hex").slice(0, 24)}`,
      };
    },

    verify(headers, rawBody, now): VerifiedNotification {
      const signature = verifySignature(secret, headers, rawBody, now, options.toleranceSeconds);
      let body: Partial<SandboxNotification>;
      try {
        body = JSON.parse(rawBody.toString("utf8")) as Partial<SandboxNotification>;
      } catch {
        throw errors.invalid("the notification is not JSON");
      }
      const event =
        body.event === "payment.succeeded" ? "success" : body.event === "payment.failed" ? "failure" : null;
      if (
        typeof body.id !== "string" ||
        typeof body.payment_id !== "string" ||
        !event ||
        !Number.isSafeInteger(body.amount) ||
        body.currency !== "IDR"
      ) {
        throw errors.invalid("the notification lacks id, payment_id, event, amount or currency");
      }
      return {
        provider: "sandbox",
        id: body.id.slice(0, 128),
        paymentId: body.payment_id.slice(0, 128),
        event,
        amount: body.amount as number,
        signature,
        body,
      };
    },

    async simulate(paymentId, outcome) {
      const charge = await chargeOf(paymentId);
      if (!charge) throw errors.notFound("payment");
      if (!(await queue(charge, outcome))) {
        throw new DomainError(
          "failed_precondition",
          "PAYMENT_NOT_PENDING",
          "the payer already acted on this payment",
        );
      }
    },

    async session(token) {
      return (await loadSession(token))?.session ?? null;
    },

    async act(token, action) {
      const loaded = await loadSession(token);
      if (!loaded) return null;
      const { row } = loaded;
      const step = row.step;
      if (action.kind === "decline" && step !== "done") {
        await queue(row, "failure");
      } else if (action.kind === "tokenize_card" && step === "card") {
        const brand = action.cardBrand.toLowerCase();
        if (!CARD_BRANDS.includes(brand) || !/^\d{4}$/.test(action.cardLast4)) {
          throw errors.invalid("the card could not be read", [
            { field: "card", message: "is not a valid card" },
          ]);
        }
        await db
          .updateTable("sandbox_charges")
          .set({ step: "three_ds", card: `${brand} •••• ${action.cardLast4}` })
          .where("payment_id", "=", row.payment_id)
          .where("step", "=", "card")
          .execute();
      } else if (action.kind === "verify_3ds" && step === "three_ds") {
        await queue(row, action.otp === SANDBOX_OTP ? "success" : "failure");
      } else if (action.kind === "pay" && step === "confirm") {
        await queue(row, "success");
      } else {
        throw errors.precondition("SANDBOX_STEP", `cannot ${action.kind} at the ${step} step`);
      }
      return (await loadSession(token))?.session ?? null;
    },
  };
}
