import { type Kysely, sql } from "kysely";
import type { SearchDatabase } from "./schema.ts";

/** Recomputes price, stock and sales of the products given (after their inputs changed). */
export async function refresh(db: Kysely<SearchDatabase>, productIds: readonly string[]): Promise<void> {
  if (productIds.length === 0) return;
  await sql`
    UPDATE search_products p SET
      price = COALESCE((SELECT min(v.price) FROM search_variants v WHERE v.product_id = p.product_id), p.price),
      -- In stock: a variant inventory reports available, or (before it reports) not marked out.
      in_stock = COALESCE((
        SELECT bool_or(CASE WHEN s.available IS NOT NULL THEN s.available > 0
                            ELSE v.stock_status <> 'out_of_stock' END)
        FROM search_variants v
        LEFT JOIN search_stock s ON s.shop_id = v.shop_id AND s.sku_key = v.sku_key
        WHERE v.product_id = p.product_id), false),
      orders_sold = COALESCE((SELECT units FROM search_sales x WHERE x.product_id = p.product_id), 0),
      indexed_at = now()
    WHERE p.product_id = ANY(${[...productIds]}::text[])`.execute(db);
}
