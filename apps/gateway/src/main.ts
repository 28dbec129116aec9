import { initTelemetry } from "@toko/kit";
import { buildGateway } from "./app.ts";
import { loadGatewayConfig } from "./config.ts";

// Composition root: configuration, tracing, the app, the listener and a graceful shutdown.
const config = loadGatewayConfig();
const telemetry = initTelemetry("gateway", config.telemetry);
const gateway = await buildGateway(config);
const url = await gateway.listen();
gateway.app.log.info({ url, services: config.services }, "gateway listening");

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  gateway.app.log.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), config.shutdownGraceMs);
  force.unref();
  await gateway.close();
  // Flushes the spans still batched for the collector.
  await telemetry.shutdown();
  process.exit(0);
}
process.once("SIGTERM", (s) => void shutdown(s));
process.once("SIGINT", (s) => void shutdown(s));
