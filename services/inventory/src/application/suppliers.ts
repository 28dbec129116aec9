import { errors, type FieldViolation } from "@toko/kit";
import { sql } from "kysely";
import { scorecard } from "../domain/scorecard.ts";
import { requireText } from "../domain/warehouse.ts";
import { newId } from "./ids.ts";
import { createdMicros, decodeCursor, fromMicros, type PageInput, pageLimit, toPage } from "./page.ts";
import type { Db } from "./ports.ts";

/** A supplier as the seller enters it. */
export interface SupplierInput {
  name: string;
  email: string;
  phone: string;
  contactName: string;
  leadTimeDays: number;
  paymentTermsDays: number;
}

/** A shop's suppliers and their scorecards. */
export class Suppliers {
  constructor(private readonly db: Db) {}

  async create(shopId: string, input: SupplierInput) {
    const violations: FieldViolation[] = requireText({ name: input.name });
    if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email))
      violations.push({ field: "email", message: "not an email address" });
    if (input.phone && !/^\+?[0-9 -]{6,20}$/.test(input.phone))
      violations.push({ field: "phone", message: "not a phone number" });
    if (!Number.isInteger(input.leadTimeDays) || input.leadTimeDays < 0 || input.leadTimeDays > 365)
      violations.push({ field: "lead_time_days", message: "between 0 and 365" });
    if (
      !Number.isInteger(input.paymentTermsDays) ||
      input.paymentTermsDays < 0 ||
      input.paymentTermsDays > 365
    )
      violations.push({ field: "payment_terms_days", message: "between 0 and 365" });
    if (violations.length > 0) throw errors.invalid("invalid supplier", violations);
    return this.db
      .insertInto("suppliers")
      .values({
        id: newId("sup"),
        shop_id: shopId,
        name: input.name.trim(),
        email: input.email.trim(),
        phone: input.phone.trim(),
        contact_name: input.contactName.trim(),
        lead_time_days: input.leadTimeDays,
        payment_terms_days: input.paymentTermsDays,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A page of the shop's suppliers, oldest first: keyset on (created_at, id). */
  async list(shopId: string, page: PageInput) {
    const limit = pageLimit(page.limit);
    const after = decodeCursor("sup", page.cursor, ["integer", "string"]);
    let q = this.db
      .selectFrom("suppliers")
      .selectAll()
      .select(createdMicros("created_at").as("created_us"))
      .where("shop_id", "=", shopId);
    if (after) q = q.where(sql<boolean>`(created_at, id) > (${fromMicros(after[0] ?? 0)}, ${after[1]})`);
    const rows = await q
      .orderBy("created_at")
      .orderBy("id")
      .limit(limit + 1)
      .execute();
    return toPage(rows, limit, "sup", (s) => [s.created_us, s.id]);
  }

  /** The shop's supplier; NOT_FOUND for another shop's. */
  async get(shopId: string, id: string) {
    const s = await this.db
      .selectFrom("suppliers")
      .selectAll()
      .where("id", "=", id)
      .where("shop_id", "=", shopId)
      .executeTakeFirst();
    if (!s) throw errors.notFound("supplier");
    return s;
  }

  /** The supplier's scorecard over its purchase orders (maths in domain/scorecard.ts). */
  async scorecard(shopId: string, id: string) {
    await this.get(shopId, id);
    const orders = await this.db
      .selectFrom("purchase_orders as po")
      .innerJoin("purchase_order_lines as l", "l.purchase_order_id", "po.id")
      .select(({ fn }) => [
        "po.status",
        "po.sent_at",
        "po.expected_at",
        "po.last_receipt_at",
        fn.sum<number>("l.quantity").as("ordered"),
        fn.sum<number>("l.received").as("accepted"),
        fn.sum<number>("l.rejected").as("rejected"),
      ])
      .where("po.supplier_id", "=", id)
      .groupBy(["po.id", "po.status", "po.sent_at", "po.expected_at", "po.last_receipt_at"])
      .execute();
    return {
      supplierId: id,
      ...scorecard(
        orders.map((o) => ({
          status: o.status,
          sentAt: o.sent_at,
          expectedAt: o.expected_at,
          lastReceiptAt: o.last_receipt_at,
          ordered: Number(o.ordered),
          accepted: Number(o.accepted),
          rejected: Number(o.rejected),
        })),
      ),
    };
  }
}
