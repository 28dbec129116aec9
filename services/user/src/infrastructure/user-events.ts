import {
  EmailVerificationRequested,
  PasswordResetRequested,
  UserRegistered,
} from "@toko/contracts/toko/user/v1/events";
import { type NewEvent, protoEvent } from "@toko/kit";

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

  emailVerificationRequested(
    user: { id: string; email: string; name: string },
    token: string,
    verifyUrl: string,
    expiresAt: Date,
  ): NewEvent {
    return protoEvent("toko.user.v1.EmailVerificationRequested", user.id, EmailVerificationRequested, {
      userId: user.id,
      email: user.email,
      name: user.name,
      token,
      verifyUrl,
      expiresAt,
    });
  },

  passwordResetRequested(
    user: { id: string; email: string; name: string },
    token: string,
    resetUrl: string,
    expiresAt: Date,
    requestedAt: Date,
  ): NewEvent {
    return protoEvent("toko.user.v1.PasswordResetRequested", user.id, PasswordResetRequested, {
      userId: user.id,
      email: user.email,
      name: user.name,
      token,
      resetUrl,
      expiresAt,
      requestedAt,
    });
  },
};
