import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | undefined, Date>;

/** The user service's tables, as Kysely sees them (see migrations/). */
export interface UserDatabase {
  users: {
    id: string;
    email: string;
    email_verified: Generated<boolean>;
    name: string;
    phone: Generated<string>;
    password_hash: string;
    password_generated: Generated<boolean>;
    roles: Generated<string[]>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  user_tokens: {
    token_hash: Buffer;
    purpose: "verify_email" | "reset_password";
    user_id: string;
    created_at: Timestamp;
    expires_at: Date;
    used_at: Date | null;
  };
  login_failures: {
    scope: "account" | "address";
    key: string;
    failures: number;
    last_failure_at: Date;
    locked_until: Date | null;
  };
  addresses: {
    id: string;
    user_id: string;
    label: string;
    recipient: string;
    phone: string;
    street: string;
    district: string;
    city: string;
    province: string;
    postal_code: string;
    latitude: number | null;
    longitude: number | null;
    is_default: boolean;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  wishlist_items: {
    user_id: string;
    product_id: string;
    added_at: Timestamp;
  };
}
