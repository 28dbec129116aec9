import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient } from "@toko/kit";
import type { AddressBook } from "../application/ports.ts";

/**
 * Addresses through `toko.user.v1.UserService/GetAddress`, called with the principal of the
 * call being served: the user service answers only for the caller's own address (NOT_FOUND else).
 */
export function userAddresses(
  address: string,
  internalSecret: string | undefined,
): AddressBook & { close(): void } {
  const client = createClient(UserServiceClient, address, {
    internalSecret,
    deadlineMs: 3_000,
    idempotent: ["getAddress"],
  });
  return {
    async destination(addressId) {
      const res = await client.getAddress({ addressId });
      const a = res.address?.address;
      if (!a) throw new Error("GetAddress answered without an address");
      // As the user service holds it: the checkout passes it on to the order unchanged.
      return a;
    },
    close: () => client.close(),
  };
}
