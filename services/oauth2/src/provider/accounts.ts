import type { Account, AccountClaims } from "oidc-provider";

/** A user as the authorization server needs them (from the user service). */
export interface UserRecord {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string;
  roles: string[];
  updatedAt: Date | undefined;
}

/** Outcome of a credential check; failures never say whether the email exists. */
export type CredentialResult =
  | { ok: true; userId: string }
  | { ok: false; code: "INVALID_CREDENTIALS" }
  | { ok: false; code: "ACCOUNT_LOCKED"; retryAfterSeconds: number };

/** The port to the user service, declared by its consumer. */
export interface UserDirectory {
  /** The user, or undefined when the account no longer exists. */
  findUser(userId: string): Promise<UserRecord | undefined>;
  verifyCredentials(email: string, password: string, clientAddress: string): Promise<CredentialResult>;
}

/** An oidc-provider account carrying the user's current roles for the access token. */
export interface TokoAccount extends Account {
  roles: readonly string[];
}

/** oidc-provider's `findAccount`: every token, refresh and userinfo call sees fresh roles and claims. */
export function accountFinder(users: UserDirectory) {
  return async (_ctx: unknown, sub: string): Promise<TokoAccount | undefined> => {
    const user = await users.findUser(sub);
    if (!user) return undefined;
    return {
      accountId: user.id,
      roles: user.roles,
      claims: async (): Promise<AccountClaims> => ({
        sub: user.id,
        email: user.email,
        email_verified: user.emailVerified,
        name: user.name,
        ...(user.updatedAt ? { updated_at: Math.floor(user.updatedAt.getTime() / 1000) } : {}),
      }),
    };
  };
}
