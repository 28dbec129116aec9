import type { Static } from "@sinclair/typebox";
import type { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import type { FastifyInstance } from "fastify";
import { buyerOnly } from "../../auth/route-rules.ts";
import type { StrictRateLimits } from "../../config.ts";
import type { Upstream } from "../../upstreams.ts";
import {
  Accepted,
  ProfilePatch,
  problems,
  RegisterBody,
  ResetConfirmBody,
  ResetRequestBody,
  UserView,
} from "./schemas.ts";
import { userJson } from "./views.ts";

const tags = ["Users"];
const security = [{ bearer: [] }];

/**
 * Registration, the caller's profile and password resets. Registration and both reset steps
 * hash a password or send an email, so each has its own, stricter budget per client.
 */
export function registerAccountRoutes(
  app: FastifyInstance,
  upstream: Upstream<UserServiceClient>,
  limits: StrictRateLimits,
): void {
  const users = upstream.client;

  app.post<{ Body: Static<typeof RegisterBody> }>(
    "/api/v1/users",
    {
      config: { auth: "none", rateLimit: limits.register },
      schema: {
        tags,
        summary: "Register (duplicate email → 409 EMAIL_TAKEN)",
        body: RegisterBody,
        response: { 201: UserView, ...problems(400, 409, 422, 429, 503, 504) },
      },
    },
    async (request, reply) => {
      const { email, password, name, phone } = request.body;
      const { user } = await users.register(
        { email, password, name, phone: phone ?? "" },
        { principal: null, requestId: request.id },
      );
      const view = userJson(user);
      return reply.code(201).header("location", "/api/v1/me").send(view);
    },
  );

  app.get(
    "/api/v1/me",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "The caller's profile",
        response: { 200: UserView, ...problems(401, 403, 404, 503, 504) },
      },
    },
    async (request) =>
      userJson((await users.getMe({}, { principal: request.principal, requestId: request.id })).user),
  );

  app.patch<{ Body: Static<typeof ProfilePatch> }>(
    "/api/v1/me",
    {
      config: { auth: buyerOnly },
      schema: {
        tags,
        security,
        summary: "Change name and/or phone",
        body: ProfilePatch,
        response: { 200: UserView, ...problems(400, 401, 403, 422, 503, 504) },
      },
    },
    async (request) => {
      const { name, phone } = request.body;
      const { user } = await users.updateProfile(
        { name, phone: phone === null ? "" : phone },
        { principal: request.principal, requestId: request.id },
      );
      return userJson(user);
    },
  );

  app.post<{ Body: Static<typeof ResetRequestBody> }>(
    "/api/v1/password-resets",
    {
      config: { auth: "none", rateLimit: limits.passwordReset },
      schema: {
        tags,
        summary: "Email a reset link; the answer never reveals whether the account exists",
        body: ResetRequestBody,
        response: { 202: Accepted, ...problems(400, 422, 429, 503, 504) },
      },
    },
    async (request, reply) => {
      await users.requestPasswordReset(
        { email: request.body.email },
        { principal: null, requestId: request.id },
      );
      return reply.code(202).send({ status: "accepted" });
    },
  );

  app.post<{ Body: Static<typeof ResetConfirmBody> }>(
    "/api/v1/password-resets/confirm",
    {
      config: { auth: "none", rateLimit: limits.passwordReset },
      schema: {
        tags,
        summary: "Set a new password with the emailed token (single use)",
        body: ResetConfirmBody,
        response: {
          204: { type: "null", description: "password changed" },
          ...problems(400, 422, 429, 503, 504),
        },
      },
    },
    async (request, reply) => {
      await users.confirmPasswordReset(
        { token: request.body.token, newPassword: request.body.new_password },
        { principal: null, requestId: request.id },
      );
      return reply.code(204).send();
    },
  );
}
