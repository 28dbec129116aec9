import { ClientType, OAuth2AdminServiceClient } from "@toko/contracts/toko/oauth2/v1/oauth2";
import { createClient, type PromiseClient } from "@toko/kit";
import { adminPrincipal, SECRET, type Stack } from "./stack.ts";

export { ClientType };

/** The admin gRPC API of a stack's oauth2 process, called as an admin. */
export function adminClient(stack: Stack): PromiseClient<OAuth2AdminServiceClient> {
  return createClient(OAuth2AdminServiceClient, stack.oauth2GrpcAddress, { internalSecret: SECRET });
}

export const asAdmin = { principal: adminPrincipal };
