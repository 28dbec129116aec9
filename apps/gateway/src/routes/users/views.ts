import type { User, UserAddress, WishlistItem } from "@toko/contracts/toko/user/v1/user";

/** A user as the public API shows it (snake_case; never a password). */
export function userJson(u: User | undefined) {
  if (!u) throw new Error("the user service answered without a user");
  return {
    id: u.id,
    email: u.email,
    email_verified: u.emailVerified,
    name: u.name,
    phone: u.phone === "" ? null : u.phone,
    roles: u.roles,
    created_at: (u.createdAt ?? new Date(0)).toISOString(),
  };
}

/** An address-book entry, flattened. */
export function addressJson(a: UserAddress | undefined) {
  if (!a) throw new Error("the user service answered without an address");
  const x = a.address;
  return {
    id: a.id,
    label: a.label,
    recipient: x?.recipient ?? "",
    phone: x?.phone ?? "",
    street: x?.street ?? "",
    district: x?.district ?? "",
    city: x?.city ?? "",
    province: x?.province ?? "",
    postal_code: x?.postalCode ?? "",
    lat: x?.latitude ?? null,
    lng: x?.longitude ?? null,
    is_default: a.isDefault,
    created_at: (a.createdAt ?? new Date(0)).toISOString(),
    updated_at: (a.updatedAt ?? new Date(0)).toISOString(),
  };
}

export function wishlistJson(item: WishlistItem | undefined) {
  if (!item) throw new Error("the user service answered without an item");
  return { product_id: item.productId, added_at: (item.addedAt ?? new Date(0)).toISOString() };
}
