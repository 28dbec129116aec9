import { randomBytes } from "node:crypto";
import { createTestDatabase } from "@toko/testing";
import { createNatsBus, createPostgresBus, type EventBus } from "../../src/index.ts";
import { deleteStream, NATS_URL } from "./nats.ts";

/** A bus under test: `connect` opens another independent client (another replica/process). */
export interface BusFixture {
  name: string;
  connect(options?: { port?: number }): Promise<EventBus>;
  /** The port the real server listens on, for putting a proxy in front. */
  serverPort: number;
  /** Environment for a child process to reach the same bus. */
  childEnv(): Record<string, string>;
  cleanup(): Promise<void>;
}

export async function postgresBusFixture(): Promise<BusFixture> {
  const busDb = await createTestDatabase();
  const url = new URL(busDb.url);
  return {
    name: "postgres",
    serverPort: Number(url.port),
    connect: ({ port } = {}) => {
      const u = new URL(busDb.url);
      if (port) u.port = String(port);
      return createPostgresBus({ url: u.toString(), leaseMs: 1_500, pollIntervalMs: 200, poolSize: 6 });
    },
    childEnv: () => ({ TEST_BUS: "postgres", BUS_DATABASE_URL: busDb.url }),
    cleanup: () => busDb.drop(),
  };
}

export async function natsBusFixture(): Promise<BusFixture> {
  const id = randomBytes(4).toString("hex");
  const stream = `KITTEST_${id}`;
  const subjectPrefix = `kittest.${id}`;
  return {
    name: "nats",
    serverPort: 4222,
    connect: ({ port } = {}) =>
      createNatsBus({
        servers: port ? `nats://127.0.0.1:${port}` : NATS_URL,
        stream,
        subjectPrefix,
        ackWaitMs: 1_500,
      }),
    childEnv: () => ({ TEST_BUS: "nats", NATS_STREAM: stream, NATS_PREFIX: subjectPrefix }),
    cleanup: () => deleteStream(stream),
  };
}
