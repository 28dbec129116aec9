import { type UserServiceServer, UserServiceService } from "@toko/contracts/toko/user/v1/user";
import { type ImplementOptions, implement } from "@toko/kit";
import { Accounts } from "../application/accounts.ts";
import { Addresses } from "../application/addresses.ts";
import { Credentials } from "../application/credentials.ts";
import type { UserDeps } from "../application/deps.ts";
import { EmailVerification } from "../application/email-verification.ts";
import { PasswordReset } from "../application/password-reset.ts";
import { Wishlist } from "../application/wishlist.ts";
import {
  fromAddressMessage,
  toAddressMessage,
  toCredentialResponse,
  toUserMessage,
  toWishlistMessage,
} from "./mapping.ts";

/**
 * Callable without a principal: guest actions at the edge. VerifyCredentials is oauth2's, which
 * calls as its service principal.
 */
const publicMethods: ImplementOptions<UserServiceServer> = {
  anonymous: ["register", "verifyEmail", "requestPasswordReset", "confirmPasswordReset"],
};

/**
 * The UserService gRPC handlers: proto in, use case, proto out. Every handler passes the
 * verified principal to the use case, which decides whose data may be touched.
 */
export function userGrpcService(deps: UserDeps) {
  const accounts = new Accounts(deps);
  const credentials = new Credentials(deps);
  const addresses = new Addresses(deps);
  const wishlist = new Wishlist(deps);
  const verification = new EmailVerification(deps);
  const reset = new PasswordReset(deps);
  return implement<UserServiceServer>(UserServiceService, publicMethods, {
    async register(req) {
      return { user: toUserMessage(await accounts.register(req)) };
    },
    async getUser(req, ctx) {
      return { user: toUserMessage(await accounts.getUser(ctx.principal, req.userId)) };
    },
    async verifyCredentials(req, ctx) {
      return toCredentialResponse(await credentials.verify(ctx.principal, req));
    },
    async grantRole(req, ctx) {
      return { user: toUserMessage(await accounts.grantRole(ctx.principal, req.userId, req.role)) };
    },
    async getMe(_req, ctx) {
      return { user: toUserMessage(await accounts.getMe(ctx.principal)) };
    },
    async updateProfile(req, ctx) {
      return { user: toUserMessage(await accounts.updateProfile(ctx.principal, req)) };
    },
    async listAddresses(_req, ctx) {
      return { addresses: (await addresses.list(ctx.principal)).map(toAddressMessage) };
    },
    async getAddress(req, ctx) {
      return { address: toAddressMessage(await addresses.get(ctx.principal, req.addressId)) };
    },
    async createAddress(req, ctx) {
      const fields = fromAddressMessage(req.label, req.address);
      return {
        address: toAddressMessage(
          await addresses.create(ctx.principal, { ...fields, isDefault: req.isDefault }),
        ),
      };
    },
    async updateAddress(req, ctx) {
      const { addressId, ...changes } = req;
      return { address: toAddressMessage(await addresses.update(ctx.principal, addressId, changes)) };
    },
    async deleteAddress(req, ctx) {
      await addresses.delete(ctx.principal, req.addressId);
      return {};
    },
    async listWishlist(req, ctx) {
      const page = await wishlist.list(ctx.principal, {
        limit: req.page?.limit ?? 0,
        cursor: req.page?.cursor ?? "",
      });
      return { items: page.items.map(toWishlistMessage), page: { nextCursor: page.nextCursor } };
    },
    async addToWishlist(req, ctx) {
      return { item: toWishlistMessage(await wishlist.add(ctx.principal, req.productId)) };
    },
    async removeFromWishlist(req, ctx) {
      return { removed: await wishlist.remove(ctx.principal, req.productId) };
    },
    async requestEmailVerification(_req, ctx) {
      await verification.request(ctx.principal);
      return {};
    },
    async verifyEmail(req) {
      return { user: toUserMessage(await verification.verify(req.token)) };
    },
    async requestPasswordReset(req) {
      await reset.request(req.email);
      return {};
    },
    async confirmPasswordReset(req) {
      await reset.confirm(req.token, req.newPassword);
      return {};
    },
  });
}
