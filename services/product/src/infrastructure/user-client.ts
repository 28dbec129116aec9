import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient, servicePrincipal } from "@toko/kit";
import type { RoleGranter } from "../application/ports.ts";

/** The principal the catalog calls the user service as (an internal service principal). */
export const SERVICE_PRINCIPAL = servicePrincipal("product");

/** Grants roles through `toko.user.v1.UserService/GrantRole` (idempotent there, so retried). */
export function userRoleGranter(
  address: string,
  internalSecret: string | undefined,
): RoleGranter & { close(): void } {
  const client = createClient(UserServiceClient, address, {
    internalSecret,
    deadlineMs: 3_000,
    idempotent: ["grantRole"],
  });
  return {
    async grantSeller(userId) {
      await client.grantRole({ userId, role: "seller" }, { principal: SERVICE_PRINCIPAL });
    },
    close: () => client.close(),
  };
}
