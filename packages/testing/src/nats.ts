import { connect } from "node:net";

/** The NATS JetStream the machine runs for scale-out tests. */
export const TEST_NATS_URL = "nats://127.0.0.1:4222";

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 4222), hostname);
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * The `skip` option for NATS tests: false (run) when NATS answers; otherwise the reason to skip,
 * printed once — or, under CI=true, an error, so CI never silently skips them.
 */
export async function natsSkipReason(url: string = TEST_NATS_URL): Promise<string | false> {
  if (await reachable(url)) return false;
  if (process.env.CI === "true") throw new Error(`CI=true but NATS is not reachable at ${url}`);
  const reason = `NATS not reachable at ${url}; skipping the NATS tests`;
  process.stderr.write(`${reason}\n`);
  return reason;
}
