import type { Selectable } from "kysely";
import { sortRoles } from "../domain/roles.ts";
import type { UserDatabase } from "../infrastructure/db-schema.ts";

/** A user as the service hands it out: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string;
  phone: string;
  roles: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** The public columns of `users`, for `select(...)`. */
export const USER_COLUMNS = [
  "id",
  "email",
  "email_verified",
  "name",
  "phone",
  "roles",
  "created_at",
  "updated_at",
] as const;

type UserRow = Pick<Selectable<UserDatabase["users"]>, (typeof USER_COLUMNS)[number]>;

/** Maps a row to the view. */
export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.email_verified,
    name: row.name,
    phone: row.phone,
    roles: sortRoles(row.roles),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
