/** `GET/PUT /api/v1/me/notification-preferences`. */
export interface Preference {
  channel: string;
  category: string;
  enabled: boolean;
  locked: boolean;
}
export interface Preferences {
  locale: string;
  preferences: Preference[];
}

export const CHANNELS = ["email", "sms", "in_app"] as const;
export const CATEGORIES = ["account", "orders", "seller", "marketing"] as const;

export interface Cell {
  channel: string;
  category: string;
  enabled: boolean;
  locked: boolean;
}

/**
 * The preferences as a table: a row per category (the known ones first, in a fixed order, then
 * any the server adds), a cell per channel the server lists; a pair it does not list is absent.
 */
export function preferenceGrid(prefs: readonly Preference[]): {
  channels: string[];
  rows: { category: string; cells: (Cell | undefined)[] }[];
} {
  const order = <T extends string>(known: readonly T[], seen: string[]) => [
    ...known.filter((k) => seen.includes(k)),
    ...[...new Set(seen)].filter((s) => !(known as readonly string[]).includes(s)),
  ];
  const channels = order(
    CHANNELS,
    prefs.map((p) => p.channel),
  );
  const categories = order(
    CATEGORIES,
    prefs.map((p) => p.category),
  );
  return {
    channels,
    rows: categories.map((category) => ({
      category,
      cells: channels.map((channel) => prefs.find((p) => p.channel === channel && p.category === category)),
    })),
  };
}

/** Turns one switch; locked ones (transactional messages) stay as they are. */
export function toggle(
  prefs: readonly Preference[],
  channel: string,
  category: string,
  enabled: boolean,
): Preference[] {
  return prefs.map((p) =>
    p.channel === channel && p.category === category && !p.locked ? { ...p, enabled } : p,
  );
}

/** The changes to PUT: every unlocked switch that differs from what the server last said. */
export function preferenceChanges(
  saved: readonly Preference[],
  current: readonly Preference[],
): { channel: string; category: string; enabled: boolean }[] {
  return current
    .filter((p) => {
      const was = saved.find((s) => s.channel === p.channel && s.category === p.category);
      return !p.locked && was !== undefined && was.enabled !== p.enabled;
    })
    .map(({ channel, category, enabled }) => ({ channel, category, enabled }));
}
