import type {
  Category,
  Channel as ChannelName,
  Locale,
  Message,
  MessageData,
  MessageKind,
} from "../domain/model.ts";
import type { Choices } from "../domain/preferences.ts";
import type { UnsubscribeTokens } from "../domain/unsubscribe.ts";

/** How to reach a user, from the user service. */
export interface Contact {
  userId: string;
  email: string;
  name: string;
  /** Empty when the user gave none. */
  phone: string;
}

/** Who paid a payment, and how (the payment service). */
export interface Payer {
  userId: string;
  /** bank_transfer_va, ewallet, credit_card, cod. */
  method: string;
  /** bca, gopay, …; empty for card and COD. */
  channel: string;
  /** The orders the payment was for. */
  orderIds: string[];
}

/** Who people are, which user owns a shop and who paid a payment (user, product, payment). */
export interface RecipientDirectory {
  /** Undefined when the user does not exist. */
  contact(userId: string): Promise<Contact | undefined>;
  /** The owner's user id; undefined when the shop does not exist. */
  shopOwner(shopId: string): Promise<string | undefined>;
  /** Undefined when the payment does not exist. */
  payer(paymentId: string): Promise<Payer | undefined>;
}

/** Which of some products sit in a category or its subcategories (the product service). */
export interface CategoryCatalog {
  productsInCategory(categoryId: string, productIds: readonly string[]): Promise<Set<string>>;
}

/** An email ready to go: `id` is the delivery id (also its Message-ID, so a resend is recognisable). */
export interface OutgoingEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface OutgoingSms {
  id: string;
  to: string;
  body: string;
}

/** What a provider answered when it accepted a message. */
export interface SendReceipt {
  providerId: string;
}

/**
 * A way out: email over SMTP (or the development mail catcher), SMS through a provider. Sending
 * is at least once (a crash after the provider accepted resends with the same id). The in-app
 * inbox has no remote part: it is written in the transaction that decides the message.
 */
export interface Channel<M> {
  send(message: M): Promise<SendReceipt>;
}

export interface Channels {
  email: Channel<OutgoingEmail>;
  sms: Channel<OutgoingSms>;
}

export interface InboxItem {
  id: string;
  userId: string;
  category: Category;
  kind: MessageKind;
  title: string;
  body: string;
  link: string | undefined;
  readAt: Date | undefined;
  createdAt: Date;
}

export interface Delivery {
  id: string;
  dedupKey: string;
  userId: string;
  channel: "email" | "sms";
  category: Category;
  kind: MessageKind;
  /** The template's input plus the message's sealed link and email override. */
  data: DeliveryData;
  status: "pending" | "sent" | "skipped" | "failed";
  attempts: number;
}

export interface DeliveryData {
  values: MessageData;
  secretLink?: Message["secretLink"];
  emailTo?: string;
}

export interface CampaignTemplate {
  id: { subject: string; body: string };
  en: { subject: string; body: string } | undefined;
  link: string;
}

export interface Campaign {
  id: string;
  name: string;
  categoryId: string;
  withinDays: number;
  channel: ChannelName;
  template: CampaignTemplate;
  scheduledAt: Date;
  ratePerSecond: number;
  status: "scheduled" | "sending" | "done";
  createdBy: string;
  createdAt: Date;
}

export interface CampaignProgress {
  recipients: number;
  processed: number;
  sent: number;
}

/** Writes of one transaction. */
export interface NotificationTx {
  settings: {
    /** The locale and choices in one read. */
    profile(userId: string): Promise<{ locale: Locale | undefined; choices: Choices }>;
    setLocale(userId: string, locale: Locale, now: Date): Promise<void>;
    setChoice(
      userId: string,
      channel: ChannelName,
      category: Category,
      enabled: boolean,
      now: Date,
    ): Promise<void>;
  };
  inbox: {
    /** False when the item (its dedup key) already exists. */
    add(item: InboxItem, dedupKey: string): Promise<boolean>;
    markRead(userId: string, id: string, now: Date): Promise<InboxItem | undefined>;
  };
  deliveries: {
    /** False when the delivery (its dedup key) already exists. */
    add(delivery: Delivery, now: Date): Promise<boolean>;
    markSent(id: string, address: string, providerId: string, now: Date): Promise<void>;
    markSkipped(id: string, reason: string): Promise<void>;
  };
  shopMessages: {
    add(id: string, shopId: string, message: Message, now: Date): Promise<void>;
    get(id: string): Promise<{ shopId: string; message: Message } | undefined>;
    remove(id: string): Promise<void>;
  };
  payerMessages: {
    add(id: string, paymentId: string, message: Message, now: Date): Promise<void>;
    get(id: string): Promise<{ paymentId: string; message: Message } | undefined>;
    remove(id: string): Promise<void>;
  };
  purchases: {
    add(p: {
      orderId: string;
      lineId: string;
      buyerId: string;
      productId: string;
      completedAt: Date;
    }): Promise<void>;
  };
  campaigns: {
    add(c: Campaign): Promise<void>;
    get(id: string): Promise<Campaign | undefined>;
    setStatus(id: string, status: Campaign["status"]): Promise<void>;
    addRecipients(id: string, userIds: readonly string[]): Promise<void>;
    /** Locks up to `limit` pending recipients (skipping ones another runner holds). */
    claimPending(id: string, limit: number): Promise<string[]>;
    markRecipient(id: string, userId: string, status: "sent" | "skipped", now: Date): Promise<void>;
    hasPending(id: string): Promise<boolean>;
  };
  timers: {
    deliver(channel: "email" | "sms", deliveryId: string, at: Date): Promise<void>;
    resolveShop(shopMessageId: string, at: Date): Promise<void>;
    resolvePayer(payerMessageId: string, at: Date): Promise<void>;
    resolveCampaign(campaignId: string, at: Date): Promise<void>;
    sendCampaign(campaignId: string, at: Date): Promise<void>;
  };
}

export interface UnitOfWork {
  run<T>(work: (tx: NotificationTx) => Promise<T>): Promise<T>;
}

/** Reads outside any transaction (queries, and the remote steps of timers). */
export interface NotificationReads {
  inbox(userId: string, limit: number, after: string | undefined, unreadOnly: boolean): Promise<InboxItem[]>;
  unread(userId: string): Promise<number>;
  profile(userId: string): Promise<{ locale: Locale | undefined; choices: Choices }>;
  delivery(id: string): Promise<Delivery | undefined>;
  /** Records a failed attempt as it happens (the delivery log), outside the timer's transaction. */
  recordFailure(id: string, attempts: number, error: string, final: boolean): Promise<void>;
  campaign(id: string): Promise<(Campaign & CampaignProgress) | undefined>;
  /** Buyers (and the products they bought) with an order completed since `since`. */
  purchasesSince(since: Date): Promise<{ buyerId: string; productId: string }[]>;
  devMail: {
    list(limit: number, after: string | undefined): Promise<DevMailRecord[]>;
    get(id: string): Promise<DevMailRecord | undefined>;
  };
}

/** An email the development mail catcher holds. */
export interface DevMailRecord extends OutgoingEmail {
  sentAt: Date;
}

export interface Clock {
  now(): Date;
}

/** Operator settings. */
export interface NotificationSettings {
  /** The web app's origin for links in messages. */
  publicOrigin: string;
  /** The gateway's one-click unsubscribe endpoint (the token is appended). */
  unsubscribeUrl: string;
  /** The private key that opens sealed tokens (absent: secret-bearing messages cannot be sent). */
  sealingPrivateKey: string | undefined;
  campaignRatePerSecond: number;
  campaignMaxBatch: number;
  /** Attempts per channel before a delivery is a dead letter. */
  maxAttempts: { email: number; sms: number };
  /** True in development: the mail catcher is readable. */
  development: boolean;
}

/** Everything the use cases need. */
export interface NotificationDeps {
  uow: UnitOfWork;
  reads: NotificationReads;
  directory: RecipientDirectory;
  catalog: CategoryCatalog;
  channels: Channels;
  clock: Clock;
  newId(): string;
  settings: NotificationSettings;
  unsubscribe: UnsubscribeTokens;
}
