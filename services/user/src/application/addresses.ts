import { errors, type Principal, type Transaction, transaction, uuidv7 } from "@toko/kit";
import type { Selectable } from "kysely";
import { type AddressFields, checkAddress, MAX_ADDRESSES } from "../domain/address.ts";
import type { UserDatabase } from "../infrastructure/db-schema.ts";
import { isId, requireUserId } from "./caller.ts";
import type { UserDeps } from "./deps.ts";

/** One address-book entry. */
export interface AddressView extends AddressFields {
  id: string;
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Changes to an address: only the fields present are applied. */
export type AddressChanges = Partial<AddressFields> & {
  clearLocation?: boolean;
  isDefault?: boolean | undefined;
};

type Row = Selectable<UserDatabase["addresses"]>;
type Trx = Transaction<UserDatabase>;

/** The address book: at most 20 entries per user and, whenever there are any, exactly one default. */
export class Addresses {
  constructor(private readonly deps: UserDeps) {}

  /** The caller's addresses, default first, then newest. */
  async list(principal: Principal | undefined): Promise<AddressView[]> {
    const userId = requireUserId(principal);
    const rows = await this.deps.db
      .selectFrom("addresses")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("is_default", "desc")
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map(toView);
  }

  /** One of the caller's addresses; another user's is NOT_FOUND. */
  async get(principal: Principal | undefined, addressId: string): Promise<AddressView> {
    const userId = requireUserId(principal);
    return toView(await this.find(this.deps.db, userId, addressId));
  }

  /** Adds an address; the first one, or one created with `isDefault`, becomes the default. */
  async create(
    principal: Principal | undefined,
    input: AddressFields & { isDefault: boolean },
  ): Promise<AddressView> {
    const userId = requireUserId(principal);
    const { fields, violations } = checkAddress(input);
    if (violations.length > 0) throw errors.invalid("the address is not valid", violations);
    return transaction(this.deps.db, async (trx) => {
      await lockUser(trx, userId);
      const { count } = await trx
        .selectFrom("addresses")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("user_id", "=", userId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= MAX_ADDRESSES) {
        throw errors.precondition(
          "ADDRESS_LIMIT_REACHED",
          `an address book holds at most ${MAX_ADDRESSES} addresses`,
        );
      }
      const isDefault = input.isDefault || Number(count) === 0;
      if (isDefault) await clearDefault(trx, userId);
      const now = this.deps.clock();
      const row = await trx
        .insertInto("addresses")
        .values({
          id: uuidv7(now.getTime()),
          user_id: userId,
          ...toColumns(fields),
          is_default: isDefault,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toView(row);
    });
  }

  /** Applies `changes`; moving the default here is allowed, removing the only default is not. */
  async update(
    principal: Principal | undefined,
    addressId: string,
    changes: AddressChanges,
  ): Promise<AddressView> {
    const userId = requireUserId(principal);
    return transaction(this.deps.db, async (trx) => {
      await lockUser(trx, userId);
      const current = toView(await this.find(trx, userId, addressId));
      const merged: AddressFields = { ...current };
      for (const key of Object.keys(merged) as (keyof AddressFields)[]) {
        const value = changes[key];
        if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
      }
      if (changes.clearLocation && changes.latitude === undefined && changes.longitude === undefined) {
        merged.latitude = null;
        merged.longitude = null;
      }
      const { fields, violations } = checkAddress(merged);
      if (violations.length > 0) throw errors.invalid("the address is not valid", violations);
      if (changes.isDefault === false && current.isDefault) {
        throw errors.precondition(
          "DEFAULT_ADDRESS_REQUIRED",
          "one address must stay the default; make another address the default instead",
        );
      }
      if (changes.isDefault === true && !current.isDefault) await clearDefault(trx, userId);
      const row = await trx
        .updateTable("addresses")
        .set({
          ...toColumns(fields),
          is_default: changes.isDefault ?? current.isDefault,
          updated_at: this.deps.clock(),
        })
        .where("id", "=", current.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toView(row);
    });
  }

  /** Deletes an address; if it was the default, the newest remaining address takes over. */
  async delete(principal: Principal | undefined, addressId: string): Promise<void> {
    const userId = requireUserId(principal);
    await transaction(this.deps.db, async (trx) => {
      await lockUser(trx, userId);
      const current = await this.find(trx, userId, addressId);
      await trx.deleteFrom("addresses").where("id", "=", current.id).execute();
      if (!current.is_default) return;
      const next = await trx
        .selectFrom("addresses")
        .select("id")
        .where("user_id", "=", userId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      if (next)
        await trx.updateTable("addresses").set({ is_default: true }).where("id", "=", next.id).execute();
    });
  }

  private async find(db: UserDeps["db"] | Trx, userId: string, addressId: string): Promise<Row> {
    if (!isId(addressId)) throw errors.notFound("address");
    const row = await db
      .selectFrom("addresses")
      .selectAll()
      .where("id", "=", addressId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!row) throw errors.notFound("address");
    return row;
  }
}

/** Serialises address-book changes of one user, so the count and default rules hold under concurrency. */
async function lockUser(trx: Trx, userId: string): Promise<void> {
  const row = await trx
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("user");
}

async function clearDefault(trx: Trx, userId: string): Promise<void> {
  await trx
    .updateTable("addresses")
    .set({ is_default: false })
    .where("user_id", "=", userId)
    .where("is_default", "=", true)
    .execute();
}

function toColumns(f: AddressFields) {
  return {
    label: f.label,
    recipient: f.recipient,
    phone: f.phone,
    street: f.street,
    district: f.district,
    city: f.city,
    province: f.province,
    postal_code: f.postalCode,
    latitude: f.latitude,
    longitude: f.longitude,
  };
}

function toView(row: Row): AddressView {
  return {
    id: row.id,
    label: row.label,
    recipient: row.recipient,
    phone: row.phone,
    street: row.street,
    district: row.district,
    city: row.city,
    province: row.province,
    postalCode: row.postal_code,
    latitude: row.latitude,
    longitude: row.longitude,
    isDefault: row.is_default,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
