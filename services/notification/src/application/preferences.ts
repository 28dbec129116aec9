import { DomainError, type Principal } from "@toko/kit";
import { DEFAULT_LOCALE, type Locale } from "../domain/model.ts";
import { type PreferenceView, preferenceViews, validateUpdate } from "../domain/preferences.ts";
import type { NotificationDeps } from "./ports.ts";

export interface PreferencesView {
  locale: Locale;
  preferences: PreferenceView[];
}

export async function getPreferences(deps: NotificationDeps, principal: Principal): Promise<PreferencesView> {
  const { locale, choices } = await deps.reads.profile(principal.subject);
  return { locale: locale ?? DEFAULT_LOCALE, preferences: preferenceViews(choices) };
}

/** Validates the whole request first: a bad entry changes nothing. */
export async function updatePreferences(
  deps: NotificationDeps,
  principal: Principal,
  request: { locale: string; changes: readonly { channel: string; category: string; enabled: boolean }[] },
): Promise<PreferencesView> {
  const update = validateUpdate(request.locale, request.changes);
  const now = deps.clock.now();
  return deps.uow.run(async (tx) => {
    if (update.locale) await tx.settings.setLocale(principal.subject, update.locale, now);
    for (const c of update.changes)
      await tx.settings.setChoice(principal.subject, c.channel, c.category, c.enabled, now);
    const { locale, choices } = await tx.settings.profile(principal.subject);
    return { locale: locale ?? DEFAULT_LOCALE, preferences: preferenceViews(choices) };
  });
}

/** The one-click unsubscribe: the signed token names the user, channel and category. */
export async function unsubscribe(deps: NotificationDeps, token: string) {
  const claim = deps.unsubscribe.verify(token);
  if (!claim) throw new DomainError("invalid", "INVALID_TOKEN", "The unsubscribe link is not valid");
  await deps.uow.run((tx) =>
    tx.settings.setChoice(claim.userId, claim.channel, claim.category, false, deps.clock.now()),
  );
  return claim;
}
