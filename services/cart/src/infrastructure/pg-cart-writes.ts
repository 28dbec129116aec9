import type pg from "pg";
import type { CartWrites } from "../application/ports.ts";

// Named prepared statements: each connection plans them once.
const PUT_LINE_AT = `
  WITH c AS (
    UPDATE carts SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2 RETURNING id
  )
  INSERT INTO cart_lines (cart_id, variant_id, quantity, price_when_added, added_at)
  SELECT id, $4, $5, $6, $3 FROM c
  ON CONFLICT (cart_id, variant_id)
    DO UPDATE SET quantity = excluded.quantity, price_when_added = excluded.price_when_added
  RETURNING cart_id`;

const CREATE_WITH_LINE = `
  WITH c AS (
    INSERT INTO carts (id, owner_id, token_hash, created_at, updated_at, version)
    VALUES ($1, $2, $3, $4, $4, 1)
    ON CONFLICT (owner_id) DO NOTHING
    RETURNING id
  )
  INSERT INTO cart_lines (cart_id, variant_id, quantity, price_when_added, added_at)
  SELECT id, $5, $6, $7, $4 FROM c
  RETURNING cart_id`;

/**
 * The cart's single-statement writes: the version guard and the line change in one statement,
 * so the statement is the transaction (READ COMMITTED re-checks the guard on the row it waited
 * for, so a concurrent writer makes it change nothing).
 */
export function pgCartWrites(pool: pg.Pool): CartWrites {
  return {
    async putLineAt(cart, line, now) {
      const res = await pool.query({
        name: "cart_put_line_at",
        text: PUT_LINE_AT,
        values: [cart.cartId, cart.version, now, line.variantId, line.quantity, line.priceWhenAdded],
      });
      return res.rowCount === 1;
    },
    async createWithLine(cart, line, now) {
      const res = await pool.query({
        name: "cart_create_with_line",
        text: CREATE_WITH_LINE,
        values: [
          cart.id,
          "ownerId" in cart ? cart.ownerId : null,
          "tokenHash" in cart ? cart.tokenHash : null,
          now,
          line.variantId,
          line.quantity,
          line.priceWhenAdded,
        ],
      });
      return res.rowCount === 1;
    },
  };
}
