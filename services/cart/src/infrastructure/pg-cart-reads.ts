import { type Kysely, sql } from "kysely";
import type pg from "pg";
import type { CartReads } from "../application/ports.ts";
import { readLineContext, readSnapshot, readVersions } from "./pg-snapshot.ts";
import { variantFromRow, voucherFromRow } from "./rows.ts";
import type { CartDatabase } from "./schema.ts";

/** Reads outside transactions (`pool` is `db`'s, for the prepared cart read). */
export function pgCartReads(db: Kysely<CartDatabase>, pool: pg.Pool): CartReads {
  return {
    snapshot: (key, now) => readSnapshot(db, key, now, "", pool),
    lineContext: (key, variantId, now) => readLineContext(db, pool, key, variantId, now),
    versions: (key) => readVersions(db, pool, key),
    async vouchers(shopId, after, limit, now) {
      let q = db
        .selectFrom("vouchers as v")
        .selectAll("v")
        .select(
          sql<number>`(SELECT count(*) FROM voucher_uses u WHERE u.voucher_id = v.id
            AND (u.status = 'redeemed' OR u.expires_at > ${now}))`.as("used"),
        )
        .where("v.scope", "=", shopId === null ? "platform" : "shop")
        .orderBy("v.id", "desc")
        .limit(limit + 1);
      if (shopId !== null) q = q.where("v.shop_id", "=", shopId);
      if (after !== "") q = q.where("v.id", "<", after);
      const rows = await q.execute();
      const items = rows.slice(0, limit).map((r) => ({ ...voucherFromRow(r), used: Number(r.used) }));
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? "") : "" };
    },
    async variant(variantId) {
      const row = await db
        .selectFrom("catalog_variants")
        .selectAll()
        .where("variant_id", "=", variantId)
        .executeTakeFirst();
      return row ? variantFromRow(row as unknown as Record<string, unknown>) : null;
    },
  };
}
