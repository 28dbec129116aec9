import { CredentialFailureReason, UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient, DomainError, type PromiseClient, servicePrincipal } from "@toko/kit";
import type { CredentialResult, UserDirectory, UserRecord } from "../provider/accounts.ts";

/** oauth2 calls the user service on its own behalf, as an internal service principal. */
const SERVICE_PRINCIPAL = servicePrincipal("oauth2");

/** The user service over gRPC (VerifyCredentials, GetUser). */
export class GrpcUserDirectory implements UserDirectory {
  private readonly client: PromiseClient<UserServiceClient>;

  constructor(address: string, internalSecret: string | undefined) {
    this.client = createClient(UserServiceClient, address, {
      internalSecret,
      deadlineMs: 5_000,
      idempotent: ["getUser"],
    });
  }

  async findUser(userId: string): Promise<UserRecord | undefined> {
    try {
      const { user } = await this.client.getUser({ userId }, { principal: SERVICE_PRINCIPAL });
      if (!user) return undefined;
      return {
        id: user.id,
        email: user.email,
        emailVerified: user.emailVerified,
        name: user.name,
        roles: user.roles,
        updatedAt: user.updatedAt,
      };
    } catch (error) {
      if (error instanceof DomainError && error.kind === "not_found") return undefined;
      throw error;
    }
  }

  async verifyCredentials(email: string, password: string, clientAddress: string): Promise<CredentialResult> {
    const response = await this.client.verifyCredentials(
      { email, password, clientAddress },
      { principal: SERVICE_PRINCIPAL },
    );
    if (response.verified) return { ok: true, userId: response.verified.userId };
    const failure = response.failure;
    if (failure?.reason === CredentialFailureReason.CREDENTIAL_FAILURE_REASON_ACCOUNT_LOCKED) {
      return { ok: false, code: "ACCOUNT_LOCKED", retryAfterSeconds: Math.max(1, failure.retryAfterSeconds) };
    }
    return { ok: false, code: "INVALID_CREDENTIALS" };
  }

  close(): void {
    this.client.close();
  }
}
