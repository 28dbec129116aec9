import { connect as tcpConnect } from "node:net";
import { connect } from "nats";

export const NATS_URL = "nats://127.0.0.1:4222";

/** Whether the machine's NATS answers on 4222. */
export function natsReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(4222, "127.0.0.1");
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * `skip` option for the NATS half of a suite: runs when NATS is reachable; outside CI skips
 * with the reason; under CI=true an unreachable NATS fails the run instead.
 */
export async function natsSkipReason(): Promise<string | false> {
  if (await natsReachable()) return false;
  if (process.env.CI === "true") throw new Error(`CI=true but NATS is not reachable at ${NATS_URL}`);
  const reason = `NATS not reachable at ${NATS_URL}; skipping the NATS adapter tests`;
  console.warn(reason);
  return reason;
}

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
