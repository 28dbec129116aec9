import { errors } from "@toko/kit";
import { type Selectable, sql } from "kysely";
import { checkWarehouse, type WarehouseInput } from "../domain/warehouse.ts";
import type { InventoryDb } from "../infrastructure/schema.ts";
import { newId } from "./ids.ts";
import {
  createdMicros,
  decodeCursor,
  fromMicros,
  type Page,
  type PageInput,
  pageLimit,
  toPage,
} from "./page.ts";
import type { Db } from "./ports.ts";

/** A shop's warehouses: one is the default (where allocation starts). */
export class Warehouses {
  constructor(private readonly db: Db) {}

  /** Creates a warehouse; the shop's first one, or one asked to be, becomes the default. */
  async create(shopId: string, input: WarehouseInput) {
    const wh = checkWarehouse(input);
    return this.db.transaction().execute(async (trx) => {
      // Serialise default changes per shop so "exactly one default" holds under concurrency.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`warehouses:${shopId}`}))`.execute(trx);
      const existing = await trx
        .selectFrom("warehouses")
        .select(({ fn }) => fn.countAll<number>().as("n"))
        .where("shop_id", "=", shopId)
        .executeTakeFirstOrThrow();
      if (Number(existing.n) >= 50)
        throw errors.precondition("TOO_MANY_WAREHOUSES", "a shop has at most 50 warehouses");
      const isDefault = wh.isDefault || Number(existing.n) === 0;
      if (isDefault)
        await trx
          .updateTable("warehouses")
          .set({ is_default: false })
          .where("shop_id", "=", shopId)
          .execute();
      return trx
        .insertInto("warehouses")
        .values({
          id: newId("wh"),
          shop_id: shopId,
          name: wh.name,
          address: wh.address,
          city: wh.city,
          province: wh.province,
          is_default: isDefault,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  }

  /** A page of the shop's warehouses, oldest first: keyset on (created_at, id). */
  async list(shopId: string, page: PageInput): Promise<Page<WarehouseRow>> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor("wh", page.cursor, ["integer", "string"]);
    let q = this.db
      .selectFrom("warehouses")
      .selectAll()
      .select(createdMicros("created_at").as("created_us"))
      .where("shop_id", "=", shopId);
    if (after) q = q.where(sql<boolean>`(created_at, id) > (${fromMicros(after[0] ?? 0)}, ${after[1]})`);
    const rows = await q
      .orderBy("created_at")
      .orderBy("id")
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, "wh", (w) => [w.created_us, w.id]);
  }
}

type WarehouseRow = Selectable<InventoryDb["warehouses"]> & { created_us: number };
