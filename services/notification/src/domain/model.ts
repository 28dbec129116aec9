/** The ways a message reaches someone. */
export const CHANNELS = ["email", "sms", "in_app"] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What a message is about. `account`, `orders` and `seller` are transactional (a user cannot
 * stop them on email and in-app); `marketing` is opt-in.
 */
export const CATEGORIES = ["account", "orders", "seller", "marketing"] as const;
export type Category = (typeof CATEGORIES)[number];

export const LOCALES = ["id", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "id";

export const isChannel = (v: string): v is Channel => (CHANNELS as readonly string[]).includes(v);
export const isCategory = (v: string): v is Category => (CATEGORIES as readonly string[]).includes(v);
export const isLocale = (v: string): v is Locale => (LOCALES as readonly string[]).includes(v);

/** A secret sealed to this service (reset and verification tokens); opened only to send. */
export interface SealedJson {
  keyId: string;
  /** base64 of the raw bytes. */
  ephemeralPublicKey: string;
  nonce: string;
  ciphertext: string;
}

/** A link whose token is still sealed: `prefix` + the opened token, opened under `context`. */
export interface SealedLink {
  prefix: string;
  context: string;
  sealed: SealedJson;
}

/** The values a template fills in (plain strings and numbers; escaped when rendered). */
export type MessageData = Record<string, string | number>;

/**
 * Who a message is for: a user, a shop (its owner), or the payer of a payment — the last two
 * looked up before anything is written for them.
 */
export type Recipient = { userId: string } | { shopId: string } | { paymentId: string };

/** A message to send, before preferences pick its channels. */
export interface Message {
  /**
   * What it is about, unique per message (e.g. "order_paid:<order id>"): the delivery log's
   * de-duplication key is this plus the recipient and the channel.
   */
  key: string;
  kind: MessageKind;
  category: Category;
  recipient: Recipient;
  /** The channels this kind uses (preferences may drop some). */
  channels: readonly Channel[];
  data: MessageData;
  /** A link carrying a sealed token (verification, reset). */
  secretLink?: SealedLink;
  /** Send the email here rather than to the account's current address (verification). */
  emailTo?: string;
}

export const MESSAGE_KINDS = [
  "welcome",
  "verify_email",
  "password_reset",
  "order_placed",
  "order_paid",
  "order_cancelled",
  "order_accepted",
  "order_shipped",
  "out_for_delivery",
  "delivery_failed",
  "order_delivered",
  "order_completed",
  "order_refunded",
  "payment_failed",
  "refund_sent",
  "return_approved",
  "return_rejected",
  "new_order",
  "return_requested",
  "low_stock",
  "campaign",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
