import assert from "node:assert/strict";
import {
  EmailVerificationRequested,
  PasswordResetRequested,
  type SealedToken,
} from "@toko/contracts/toko/user/v1/events";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { decodeEnvelope, type EventEnvelope, generateSealingKeys, openSealedSecret } from "@toko/kit";
import {
  createTestDatabase,
  rejectsWithCode,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
} from "@toko/testing";
import { loadUserConfig } from "../src/config.ts";
import { startUser, type UserOverrides } from "../src/start.ts";

/** A clock tests can pin and move; follows real time while unpinned. */
export class TestClock {
  pinned: number | undefined;
  now = (): Date => new Date(this.pinned ?? Date.now());
  advance(ms: number): void {
    this.pinned = (this.pinned ?? Date.now()) + ms;
  }
}

export const ADMIN_EMAIL = "admin@toko.test";
export const ADMIN_PASSWORD = "Correct-Horse-Battery-42";

/** The user service on a fresh database, with clients for an anonymous caller and internal services. */
export async function startHarness(
  env: Record<string, string> = {},
  overrides: Omit<UserOverrides, "now"> = {},
) {
  const db: TestDatabase = await createTestDatabase();
  const clock = new TestClock();
  // The notification service's key pair: tokens are sealed to the public half; the test opens them.
  const notificationKeys = generateSealingKeys();
  const config = loadUserConfig({
    DATABASE_URL: db.url,
    EVENT_BUS: "none",
    GRPC_PORT: "0",
    OPS_PORT: "0",
    LOG_LEVEL: "silent",
    TOKO_PUBLIC_ORIGIN: "http://toko.test:8080",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    TOKO_ADMIN_EMAIL: ADMIN_EMAIL,
    TOKO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TOKO_NOTIFICATION_PUBLIC_KEY: notificationKeys.publicKey,
    ...env,
  });
  const svc: TestService = await startTestService(() => startUser(config, { ...overrides, now: clock.now }));
  const anonymous = svc.client(UserServiceClient);
  const service = svc.client(UserServiceClient, { principal: testPrincipal("service:oauth2", ["service"]) });
  let seq = 0;
  return {
    db,
    clock,
    svc,
    anonymous,
    /** An internal service principal (the authorization server, the product service). */
    service,
    /** A client acting as user `id` with `roles`. */
    as: (id: string, roles: string[] = ["buyer"]) =>
      svc.client(UserServiceClient, { principal: testPrincipal(id, roles) }),
    /** Registers a fresh user and returns it with a client acting as them. */
    async newUser(overrides: { email?: string; password?: string; name?: string } = {}) {
      seq += 1;
      const email = overrides.email ?? `user${seq}-${Date.now()}@example.com`;
      const password = overrides.password ?? "Kopi-Susu-Gula-Aren-7";
      const { user } = await anonymous.register({
        email,
        password,
        name: overrides.name ?? `User ${seq}`,
        phone: "",
      });
      assert.ok(user);
      return {
        user,
        email,
        password,
        client: svc.client(UserServiceClient, { principal: testPrincipal(user.id) }),
      };
    },
    /** Envelopes in the outbox of one type, oldest first. */
    async outbox(type: string): Promise<EventEnvelope[]> {
      const { rows } = await db.pool.query<{ envelope: Buffer }>(
        "SELECT envelope FROM kit_outbox WHERE type = $1 ORDER BY id",
        [type],
      );
      return rows.map((r) => decodeEnvelope(r.envelope));
    },
    notificationKeys,
    /** Opens a sealed token as the notification service would. */
    openToken(sealed: SealedToken | undefined, purpose: "verify_email" | "reset_password", userId: string) {
      assert.ok(sealed, "the event carries a sealed token");
      return openSealedSecret(notificationKeys.privateKey, sealed, `${purpose}:${userId}`);
    },
    /** The token of the user's latest PasswordResetRequested, opened, with the event. */
    async lastResetToken(userId: string) {
      const events = (await this.outbox("toko.user.v1.PasswordResetRequested")).filter(
        (e) => e.subject === userId,
      );
      const last = events.at(-1);
      assert.ok(last, "a PasswordResetRequested event");
      const event = PasswordResetRequested.decode(last.payload);
      return { event, token: this.openToken(event.sealedToken, "reset_password", userId) };
    },
    /** The token of the user's latest EmailVerificationRequested, opened, with the event. */
    async lastVerifyToken(userId: string) {
      const events = (await this.outbox("toko.user.v1.EmailVerificationRequested")).filter(
        (e) => e.subject === userId,
      );
      const last = events.at(-1);
      assert.ok(last, "an EmailVerificationRequested event");
      const event = EmailVerificationRequested.decode(last.payload);
      return { event, token: this.openToken(event.sealedToken, "verify_email", userId) };
    },
    async stop() {
      await svc.stop();
      await db.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Asserts that `promise` fails with a domain error of this code (the shared `@toko/testing` helper). */
export const rejectsWith = rejectsWithCode;
