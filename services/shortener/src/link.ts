/** A short link as the service sees it (no transport or storage types). */
export interface Link {
  id: number;
  code: string;
  url: string;
  ownerId: string;
  customAlias: boolean;
  /** Null when the link never expires. */
  expiresAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

/** Where a live code points, as cached for redirects. */
export interface Resolution {
  url: string;
  expiresAt: Date | null;
}

/** One click observed at the edge, already normalized. */
export interface Click {
  code: string;
  at: Date;
  referrerHost: string;
  userAgentFamily: string;
}

/** A link's click statistics; per_day is ascending by date, the others by clicks descending. */
export interface LinkStats {
  total: number;
  perDay: { date: string; clicks: number }[];
  referrers: { host: string; clicks: number }[];
  userAgents: { family: string; clicks: number }[];
}

/** Whether a link redirects at `now`: not disabled and not expired (expiry is exclusive). */
export function isLive(link: Pick<Link, "disabledAt" | "expiresAt">, now: Date): boolean {
  return link.disabledAt === null && (link.expiresAt === null || link.expiresAt.getTime() > now.getTime());
}
