import { DomainError, type FieldViolation } from "@toko/kit/errors";
import {
  CATEGORIES,
  type Category,
  CHANNELS,
  type Channel,
  isCategory,
  isChannel,
  isLocale,
  type Locale,
} from "./model.ts";

/** One channel × category setting. */
export interface PreferenceView {
  channel: Channel;
  category: Category;
  enabled: boolean;
  locked: boolean;
}

/** What a user chose, where it differs from the defaults (`"<channel>/<category>"` → on). */
export type Choices = ReadonlyMap<string, boolean>;

export const choiceKey = (channel: Channel, category: Category): string => `${channel}/${category}`;

const TRANSACTIONAL: readonly Category[] = ["account", "orders", "seller"];

/** Transactional messages always go by email and in-app; SMS for them is the user's choice. */
export function isLocked(channel: Channel, category: Category): boolean {
  return TRANSACTIONAL.includes(category) && channel !== "sms";
}

/** Marketing is opt-in everywhere; SMS is on for order updates only until the user says otherwise. */
export function defaultEnabled(channel: Channel, category: Category): boolean {
  if (category === "marketing") return false;
  if (channel === "sms") return category === "orders";
  return true;
}

/** Whether a message of `category` may go out on `channel` given the user's choices. */
export function allows(choices: Choices, channel: Channel, category: Category): boolean {
  if (isLocked(channel, category)) return true;
  return choices.get(choiceKey(channel, category)) ?? defaultEnabled(channel, category);
}

/** Every channel × category as the user sees it. */
export function preferenceViews(choices: Choices): PreferenceView[] {
  return CHANNELS.flatMap((channel) =>
    CATEGORIES.map((category) => ({
      channel,
      category,
      enabled: allows(choices, channel, category),
      locked: isLocked(channel, category),
    })),
  );
}

export interface PreferenceChange {
  channel: Channel;
  category: Category;
  enabled: boolean;
}

/**
 * Checks a requested update: known channels, categories and locale, nothing locked turned off,
 * no channel × category twice. Throws VALIDATION_FAILED naming every bad entry.
 */
export function validateUpdate(
  locale: string,
  changes: readonly { channel: string; category: string; enabled: boolean }[],
): { locale: Locale | undefined; changes: PreferenceChange[] } {
  const violations: FieldViolation[] = [];
  if (locale !== "" && !isLocale(locale)) violations.push({ field: "locale", message: "must be id or en" });
  if (changes.length > CHANNELS.length * CATEGORIES.length) {
    violations.push({ field: "preferences", message: "lists each channel and category at most once" });
  }
  const seen = new Set<string>();
  const valid: PreferenceChange[] = [];
  changes.forEach((c, i) => {
    const field = `preferences[${i}]`;
    if (!isChannel(c.channel)) {
      violations.push({ field: `${field}.channel`, message: `must be one of ${CHANNELS.join(", ")}` });
      return;
    }
    if (!isCategory(c.category)) {
      violations.push({ field: `${field}.category`, message: `must be one of ${CATEGORIES.join(", ")}` });
      return;
    }
    const key = choiceKey(c.channel, c.category);
    if (seen.has(key)) violations.push({ field, message: `${key} is listed twice` });
    seen.add(key);
    if (!c.enabled && isLocked(c.channel, c.category)) {
      violations.push({
        field: `${field}.enabled`,
        message: `${c.category} messages by ${c.channel} cannot be turned off`,
      });
    }
    valid.push({ channel: c.channel, category: c.category, enabled: c.enabled });
  });
  if (violations.length > 0) {
    throw new DomainError("invalid", "VALIDATION_FAILED", "The preferences are not valid", violations);
  }
  return { locale: locale === "" ? undefined : (locale as Locale), changes: valid };
}
