import { TEST_NATS_URL } from "@toko/testing";
import { connect } from "nats";

// The reachability probe is @toko/testing's: skip with a reason outside CI, fail under CI=true.
export { natsSkipReason } from "@toko/testing";

/** The machine's NATS JetStream the adapter tests run against. */
export const NATS_URL = TEST_NATS_URL;

/** Deletes a test stream. */
export async function deleteStream(stream: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}
