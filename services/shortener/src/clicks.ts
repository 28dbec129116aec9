import { errors, type FieldViolation } from "@toko/kit";
import type { ClickRepository } from "./click-repository.ts";
import type { Click, LinkStats } from "./link.ts";
import { referrerHost } from "./rules/referrer.ts";
import { clickFamily } from "./rules/user-agent.ts";
import type { LinkService } from "./service.ts";

/** Most clicks accepted in one batch; the edge flushes well before this. */
export const MAX_BATCH_CLICKS = 10_000;

/** A click as reported by the edge, before normalization. */
export interface ReportedClick {
  code: string;
  at: Date | undefined;
  referrerHost: string;
  userAgent: string;
  userAgentFamily: string;
}

/** Recording clicks from the edge and reading a link's statistics. */
export class ClickService {
  constructor(
    private readonly clicks: ClickRepository,
    private readonly links: LinkService,
  ) {}

  /** Counts a batch once per batch id; returns how many clicks hit known links. */
  async record(batchId: string, reported: readonly ReportedClick[]): Promise<number> {
    const violations: FieldViolation[] = [];
    if (batchId === "" || batchId.length > 128) {
      violations.push({ field: "batch_id", message: "batch_id must be 1 to 128 characters" });
    }
    if (reported.length > MAX_BATCH_CLICKS) {
      violations.push({ field: "clicks", message: `at most ${MAX_BATCH_CLICKS} clicks per batch` });
    }
    const clicks: Click[] = [];
    reported.forEach((c, i) => {
      if (!c.at || Number.isNaN(c.at.getTime())) {
        violations.push({ field: `clicks[${i}].at`, message: "at is required" });
        return;
      }
      clicks.push({
        code: c.code,
        at: c.at,
        referrerHost: referrerHost(c.referrerHost),
        userAgentFamily: clickFamily(c.userAgent, c.userAgentFamily),
      });
    });
    if (violations.length > 0) {
      throw errors.invalid(`invalid click batch: ${violations[0]?.message}`, violations.slice(0, 20));
    }
    const { recorded } = await this.clicks.record(batchId, clicks);
    return recorded;
  }

  /** Statistics of the owner's link; anyone else gets NOT_FOUND. */
  async stats(ownerId: string, code: string): Promise<LinkStats> {
    const link = await this.links.get(ownerId, code);
    return this.clicks.stats(link.id);
  }
}
