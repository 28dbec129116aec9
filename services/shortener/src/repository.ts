import { type Kysely, sql, type Transaction } from "@toko/kit";
import type { Generated } from "kysely";
import type { Link } from "./link.ts";

interface LinksTable {
  id: Generated<number>;
  code: string;
  url: string;
  owner_id: string;
  custom_alias: boolean;
  expires_at: Date | null;
  disabled_at: Date | null;
  created_at: Date;
}

interface ClickCountsTable {
  link_id: number;
  day: string;
  referrer_host: string;
  user_agent_family: string;
  clicks: number;
}

interface ClickBatchesTable {
  batch_id: string;
  recorded: number;
  processed_at: Generated<Date>;
}

/** The shortener's tables as Kysely sees them. */
export interface ShortenerDb {
  links: LinksTable;
  click_counts: ClickCountsTable;
  click_batches: ClickBatchesTable;
}

type Row = Omit<LinksTable, "id"> & { id: number };

function toLink(row: Row): Link {
  return {
    id: row.id,
    code: row.code,
    url: row.url,
    ownerId: row.owner_id,
    customAlias: row.custom_alias,
    expiresAt: row.expires_at,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

export interface NewLink {
  code: string;
  url: string;
  ownerId: string;
  customAlias: boolean;
  expiresAt: Date | null;
  createdAt: Date;
}

/** Links in PostgreSQL. Methods taking `trx` run inside the caller's transaction. */
export class LinkRepository {
  constructor(readonly db: Kysely<ShortenerDb>) {}

  /** Serializes creations by one owner until `trx` ends, so quota counting cannot race. */
  async lockOwner(trx: Transaction<ShortenerDb>, ownerId: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`shortener:owner:${ownerId}`}, 0))`.execute(
      trx,
    );
  }

  /** Links `ownerId` created after `since`. */
  async countCreatedSince(trx: Transaction<ShortenerDb>, ownerId: string, since: Date): Promise<number> {
    const row = await trx
      .selectFrom("links")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("owner_id", "=", ownerId)
      .where("created_at", ">", since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Inserts a link; undefined when its code is taken (in any letter case). */
  async insert(trx: Transaction<ShortenerDb>, link: NewLink): Promise<Link | undefined> {
    const row = await trx
      .insertInto("links")
      .values({
        code: link.code,
        url: link.url,
        owner_id: link.ownerId,
        custom_alias: link.customAlias,
        expires_at: link.expiresAt,
        created_at: link.createdAt,
      })
      // No conflict target: either unique index (exact code or lower(code)) means "taken".
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  /** The link with exactly this code. */
  async findByCode(code: string): Promise<Link | undefined> {
    const row = await this.db.selectFrom("links").selectAll().where("code", "=", code).executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  /** Up to `limit` of the owner's links with id below `beforeId`, newest first. */
  async listByOwner(ownerId: string, limit: number, beforeId: number | undefined): Promise<Link[]> {
    let query = this.db.selectFrom("links").selectAll().where("owner_id", "=", ownerId);
    if (beforeId !== undefined) query = query.where("id", "<", beforeId);
    const rows = await query.orderBy("id", "desc").limit(limit).execute();
    return rows.map(toLink);
  }

  /** Marks the link disabled (keeping the first disable time); returns it as stored now. */
  async disable(code: string, at: Date): Promise<Link | undefined> {
    const row = await this.db
      .updateTable("links")
      .set({ disabled_at: sql<Date>`coalesce(disabled_at, ${at})` })
      .where("code", "=", code)
      .returningAll()
      .executeTakeFirst();
    return row ? toLink(row) : undefined;
  }
}
