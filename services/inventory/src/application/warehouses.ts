import { errors } from "@toko/kit";
import { sql } from "kysely";
import { checkWarehouse, type WarehouseInput } from "../domain/warehouse.ts";
import { newId } from "./ids.ts";
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

  /** The shop's warehouses, default first, then oldest first. */
  list(shopId: string) {
    return this.db
      .selectFrom("warehouses")
      .selectAll()
      .where("shop_id", "=", shopId)
      .orderBy("is_default", "desc")
      .orderBy("created_at")
      .orderBy("id")
      .execute();
  }
}
