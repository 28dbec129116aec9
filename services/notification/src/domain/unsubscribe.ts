import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { type Category, type Channel, isCategory, isChannel } from "./model.ts";
import { isLocked } from "./preferences.ts";

/** What an unsubscribe link turns off. */
export interface UnsubscribeClaim {
  userId: string;
  channel: Channel;
  category: Category;
}

/**
 * Signs and checks one-click unsubscribe tokens (RFC 8058 links): the claim in base64url, a dot,
 * and an HMAC-SHA256 over it with a key derived from the service's secret. They do not expire:
 * an old email's link must keep working.
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "toko-notification", "unsubscribe link v1", 32));
  }

  sign(claim: UnsubscribeClaim): string {
    const body = Buffer.from(JSON.stringify([claim.userId, claim.channel, claim.category])).toString(
      "base64url",
    );
    return `${body}.${this.mac(body)}`;
  }

  /** The claim, or undefined when the token is malformed, forged or names a locked preference. */
  verify(token: string): UnsubscribeClaim | undefined {
    const [body, mac, extra] = token.split(".");
    if (!body || !mac || extra !== undefined || token.length > 1024) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
      const [userId, channel, category] = parsed as unknown[];
      if (typeof userId !== "string" || typeof channel !== "string" || typeof category !== "string")
        return undefined;
      if (!isChannel(channel) || !isCategory(category) || isLocked(channel, category)) return undefined;
      return { userId, channel, category };
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url");
  }
}
