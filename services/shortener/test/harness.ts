import { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { servicePrincipal } from "@toko/kit";
import {
  createTestDatabase,
  startTestService,
  TEST_INTERNAL_SECRET,
  type TestDatabase,
  type TestService,
  testPrincipal,
} from "@toko/testing";
import { loadShortenerConfig } from "../src/config.ts";
import { randomCode } from "../src/rules/code.ts";
import { startShortener } from "../src/start.ts";

/** A clock tests can pin; follows real time while unpinned. */
export class TestClock {
  pinned: number | undefined;
  now = (): Date => new Date(this.pinned ?? Date.now());
  pin(at: Date | number): void {
    this.pinned = typeof at === "number" ? at : at.getTime();
  }
}

/** The shortener on a fresh database, with clients for two users, an anonymous caller and the gateway. */
export async function startHarness(env: Record<string, string> = {}) {
  const db: TestDatabase = await createTestDatabase();
  const clock = new TestClock();
  // Codes tests want generated next, before falling back to random ones.
  const scriptedCodes: string[] = [];
  const config = loadShortenerConfig({
    DATABASE_URL: db.url,
    EVENT_BUS: "none",
    GRPC_PORT: "0",
    OPS_PORT: "0",
    LOG_LEVEL: "silent",
    TOKO_PUBLIC_ORIGIN: "http://toko.test:8080",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    ...env,
  });
  const svc: TestService = await startTestService(() =>
    startShortener(config, { now: clock.now, generateCode: () => scriptedCodes.shift() ?? randomCode() }),
  );
  return {
    db,
    clock,
    scriptedCodes,
    svc,
    alice: svc.client(ShortenerServiceClient, { principal: testPrincipal("alice") }),
    bob: svc.client(ShortenerServiceClient, { principal: testPrincipal("bob") }),
    anonymous: svc.client(ShortenerServiceClient),
    /** The gateway reporting clicks, as an internal service. */
    edge: svc.client(ShortenerServiceClient, { principal: servicePrincipal("gateway") }),
    async stop() {
      await svc.stop();
      await db.drop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
