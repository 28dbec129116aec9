import type { Address } from "@toko/contracts/toko/common/v1/address";
import {
  type CredentialFailure,
  CredentialFailureReason,
  type User,
  type UserAddress,
  type VerifyCredentialsResponse,
  type WishlistItem,
} from "@toko/contracts/toko/user/v1/user";
import type { AddressView } from "../application/addresses.ts";
import type { CredentialCheck } from "../application/credentials.ts";
import type { UserView } from "../application/user-view.ts";
import type { WishlistItemView } from "../application/wishlist.ts";
import type { AddressFields } from "../domain/address.ts";

/** A user as the proto carries it. */
export function toUserMessage(user: UserView): User {
  return { ...user };
}

/** An address-book entry as the proto carries it. */
export function toAddressMessage(a: AddressView): UserAddress {
  const address: Address = {
    recipient: a.recipient,
    phone: a.phone,
    street: a.street,
    district: a.district,
    city: a.city,
    province: a.province,
    postalCode: a.postalCode,
  };
  if (a.latitude !== null && a.longitude !== null) {
    address.latitude = a.latitude;
    address.longitude = a.longitude;
  }
  return {
    id: a.id,
    label: a.label,
    address,
    isDefault: a.isDefault,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** The fields of a proto address (missing message = all empty, which validation then reports). */
export function fromAddressMessage(label: string, address: Address | undefined): AddressFields {
  return {
    label,
    recipient: address?.recipient ?? "",
    phone: address?.phone ?? "",
    street: address?.street ?? "",
    district: address?.district ?? "",
    city: address?.city ?? "",
    province: address?.province ?? "",
    postalCode: address?.postalCode ?? "",
    latitude: address?.latitude ?? null,
    longitude: address?.longitude ?? null,
  };
}

export function toWishlistMessage(item: WishlistItemView): WishlistItem {
  return { productId: item.productId, addedAt: item.addedAt };
}

/** The credential check as the oneof response. */
export function toCredentialResponse(check: CredentialCheck): VerifyCredentialsResponse {
  if (check.ok) {
    const { ok: _ok, ...verified } = check;
    return { verified };
  }
  const failure: CredentialFailure =
    check.code === "ACCOUNT_LOCKED"
      ? {
          reason: CredentialFailureReason.CREDENTIAL_FAILURE_REASON_ACCOUNT_LOCKED,
          code: check.code,
          retryAfterSeconds: check.retryAfterSeconds,
        }
      : {
          reason: CredentialFailureReason.CREDENTIAL_FAILURE_REASON_INVALID_CREDENTIALS,
          code: check.code,
          retryAfterSeconds: 0,
        };
  return { failure };
}
