import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { createTestDatabase, natsSkipReason, TEST_NATS_URL, type TestDatabase } from "@toko/testing";
import { connect as connectNats } from "nats";
import { pino } from "pino";
import { transaction } from "../db/database.ts";
import { createOutbox } from "../events/outbox.ts";
import { openServiceResources } from "./service-resources.ts";

const NATS_URL = TEST_NATS_URL;

/** Removes the test's durable consumer from the shared stream. */
async function deleteDurable(durable: string): Promise<void> {
  const nc = await connectNats({ servers: NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete("TOKO_EVENTS", durable).catch(() => false);
  } finally {
    await nc.close();
  }
}

describe("openServiceResources with EVENT_BUS=nats", { skip: await natsSkipReason() }, () => {
  let service: TestDatabase;
  before(async () => {
    service = await createTestDatabase();
  });
  after(async () => {
    await service.drop();
  });

  it("connects the NATS adapter (no BUS_DATABASE_URL needed) and relays the outbox through it", async () => {
    const resources = await openServiceResources({
      name: "natsprobe",
      config: { DATABASE_URL: service.url, EVENT_BUS: "nats", NATS_URL, LOG_LEVEL: "silent" },
      logger: pino({ level: "silent" }),
      relay: { pollIntervalMs: 50 },
    });
    // A type and group of its own: nothing else on the shared stream consumes it.
    const tag = randomBytes(4).toString("hex");
    const type = `toko.kittest.v1.Probe${tag}`;
    const group = `kittest.probe-${tag}`;
    try {
      assert.equal(resources.bus?.kind, "nats");
      const received: string[] = [];
      let delivered!: () => void;
      const arrived = new Promise<void>((r) => {
        delivered = r;
      });
      await resources.startConsumers((c) =>
        c.subscribe(group, [type], async (event) => {
          received.push(event.subject);
          delivered();
        }),
      );
      await transaction(resources.db, (trx) =>
        createOutbox("natsprobe").add(trx, [{ type, subject: `s-${tag}`, payload: new Uint8Array() }]),
      );
      await arrived;
      assert.deepEqual(received, [`s-${tag}`]);
    } finally {
      await resources.close();
      await deleteDurable(`${group}__${type}`.replace(/[^A-Za-z0-9_-]/g, "_"));
    }
  });
});
