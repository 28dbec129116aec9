import {
  DomainError,
  errors,
  type FieldViolation,
  type Kysely,
  type Transaction,
  transaction,
} from "@toko/kit";
import type { Link } from "./link.ts";
import type { LinkRepository, ShortenerDb } from "./repository.ts";
import { aliasProblem } from "./rules/alias.ts";
import { randomCode } from "./rules/code.ts";
import { targetProblem } from "./rules/target-url.ts";

/** Publishes LinkCreated; written in the creating transaction (the outbox). Declared here, its consumer. */
export interface LinkEvents {
  linkCreated(trx: Transaction<ShortenerDb>, link: Link): Promise<void>;
}

/** Forgets cached resolutions of a code (the resolver's cache). */
export interface ResolutionCache {
  forget(code: string): void;
}

export interface LinkServiceOptions {
  /** Host of the public origin: targets on it would loop. */
  shortLinkHost: string;
  /** Links one owner may create per rolling 24 hours. */
  quotaPerDay: number;
  now?: () => Date;
  /** Source of generated codes; replaceable so collision handling can be tested. */
  generateCode?: () => string;
}

export interface CreateLinkInput {
  url: string;
  /** Empty or undefined for a generated code. */
  alias?: string;
  expiresAt?: Date;
}

const DAY_MS = 86_400_000;
// A collision among 62^7 codes is rare; several in a row means something else is wrong.
const MAX_CODE_ATTEMPTS = 8;
const PAGE_DEFAULT = 20;
const PAGE_MAX = 100;

/** Creating, reading, listing and disabling links, with their rules. */
export class LinkService {
  readonly #now: () => Date;
  readonly #generateCode: () => string;

  constructor(
    private readonly db: Kysely<ShortenerDb>,
    private readonly links: LinkRepository,
    private readonly events: LinkEvents,
    private readonly resolutions: ResolutionCache,
    private readonly options: LinkServiceOptions,
  ) {
    this.#now = options.now ?? (() => new Date());
    this.#generateCode = options.generateCode ?? (() => randomCode());
  }

  /** Validates and stores a link owned by `ownerId`, publishing LinkCreated with it. */
  async create(ownerId: string, input: CreateLinkInput): Promise<Link> {
    const now = this.#now();
    const alias = input.alias ?? "";
    const violations: FieldViolation[] = [];
    const urlProblem = targetProblem(input.url, this.options.shortLinkHost);
    if (urlProblem) violations.push({ field: "url", message: urlProblem });
    const badAlias = alias === "" ? undefined : aliasProblem(alias);
    if (badAlias) violations.push({ field: "alias", message: badAlias });
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
      violations.push({ field: "expires_at", message: "expires_at must be in the future" });
    }
    if (violations.length > 0) {
      throw errors.invalid(`invalid link: ${violations.map((v) => v.message).join("; ")}`, violations);
    }
    return transaction(this.db, async (trx) => {
      await this.links.lockOwner(trx, ownerId);
      const recent = await this.links.countCreatedSince(trx, ownerId, new Date(now.getTime() - DAY_MS));
      if (recent >= this.options.quotaPerDay) {
        throw new DomainError(
          "rate_limited",
          "QUOTA_EXCEEDED",
          `link quota reached: at most ${this.options.quotaPerDay} links per 24 hours`,
        );
      }
      const fields = { url: input.url, ownerId, expiresAt: input.expiresAt ?? null, createdAt: now };
      let link: Link | undefined;
      if (alias !== "") {
        link = await this.links.insert(trx, { ...fields, code: alias, customAlias: true });
        if (!link) throw errors.conflict("ALIAS_TAKEN", `alias "${alias}" is already taken`);
      } else {
        for (let attempt = 0; !link && attempt < MAX_CODE_ATTEMPTS; attempt++) {
          link = await this.links.insert(trx, { ...fields, code: this.#generateCode(), customAlias: false });
        }
        if (!link) throw new Error(`no free code after ${MAX_CODE_ATTEMPTS} attempts`);
      }
      await this.events.linkCreated(trx, link);
      return link;
    });
  }

  /** The owner's link; someone else's (or none) is NOT_FOUND, never revealing it exists. */
  async get(ownerId: string, code: string): Promise<Link> {
    const link = await this.links.findByCode(code);
    if (!link || link.ownerId !== ownerId) throw errors.notFound("link");
    return link;
  }

  /** A page of the owner's links, newest first, with the cursor of the next page if any. */
  async list(
    ownerId: string,
    page: { limit: number; cursor: string },
  ): Promise<{ links: Link[]; next: string }> {
    const limit = page.limit === 0 ? PAGE_DEFAULT : page.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) {
      throw errors.invalid(`limit must be between 1 and ${PAGE_MAX}`, [
        { field: "limit", message: `must be between 1 and ${PAGE_MAX}` },
      ]);
    }
    const beforeId = page.cursor === "" ? undefined : decodeCursor(page.cursor);
    const rows = await this.links.listByOwner(ownerId, limit + 1, beforeId);
    const links = rows.slice(0, limit);
    const last = links.at(-1);
    return { links, next: rows.length > limit && last ? encodeCursor(last.id) : "" };
  }

  /** Disables the owner's link (idempotent); it stops resolving at once. */
  async disable(ownerId: string, code: string): Promise<Link> {
    await this.get(ownerId, code);
    const link = await this.links.disable(code, this.#now());
    this.resolutions.forget(code);
    if (!link) throw errors.notFound("link");
    return link;
  }
}

function encodeCursor(id: number): string {
  return Buffer.from(`l:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^l:(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match?.[1])
    throw errors.invalid("cursor is malformed", [{ field: "cursor", message: "is malformed" }]);
  return Number(match[1]);
}
