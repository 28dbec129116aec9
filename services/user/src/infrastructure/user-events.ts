import {
  EmailVerificationRequested,
  PasswordChanged,
  PasswordResetRequested,
  UserRegistered,
} from "@toko/contracts/toko/user/v1/events";
import { type NewEvent, protoEvent } from "@toko/kit";
import type { TokenDelivery } from "../application/tokens-store.ts";

/** The facts the user service publishes, as outbox events (subject = user id). */
export const userEvents = {
  registered(user: { id: string; email: string; name: string; roles: string[]; createdAt: Date }): NewEvent {
    return protoEvent("toko.user.v1.UserRegistered", user.id, UserRegistered, {
      userId: user.id,
      email: user.email,
      name: user.name,
      roles: user.roles,
      registeredAt: user.createdAt,
    });
  },

  /** The token only sealed (`delivery`); the deprecated clear `token` and URL stay empty. */
  emailVerificationRequested(
    user: { id: string; email: string; name: string },
    delivery: TokenDelivery,
    expiresAt: Date,
  ): NewEvent {
    return protoEvent("toko.user.v1.EmailVerificationRequested", user.id, EmailVerificationRequested, {
      userId: user.id,
      email: user.email,
      name: user.name,
      token: "",
      verifyUrl: "",
      sealedToken: delivery.sealedToken,
      linkPrefix: delivery.linkPrefix,
      expiresAt,
    });
  },

  /** The token only sealed (`delivery`); the deprecated clear `token` and URL stay empty. */
  passwordResetRequested(
    user: { id: string; email: string; name: string },
    delivery: TokenDelivery,
    expiresAt: Date,
    requestedAt: Date,
  ): NewEvent {
    return protoEvent("toko.user.v1.PasswordResetRequested", user.id, PasswordResetRequested, {
      userId: user.id,
      email: user.email,
      name: user.name,
      token: "",
      resetUrl: "",
      sealedToken: delivery.sealedToken,
      linkPrefix: delivery.linkPrefix,
      expiresAt,
      requestedAt,
    });
  },

  passwordChanged(userId: string, changedAt: Date): NewEvent {
    return protoEvent("toko.user.v1.PasswordChanged", userId, PasswordChanged, { userId, changedAt });
  },
};
