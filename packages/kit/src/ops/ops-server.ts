import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log/logger.ts";
import { metricsRegistry } from "../telemetry/metrics.ts";

export interface OpsServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Named checks run by /readyz; each must resolve within `readinessTimeoutMs`. */
  readiness: Record<string, () => Promise<unknown>>;
  readinessTimeoutMs?: number;
  /** True once shutdown has begun: /readyz answers 503 from then on. */
  shuttingDown: () => boolean;
}

export interface OpsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function withTimeout(check: () => Promise<unknown>, ms: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    Promise.resolve()
      .then(check)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** The ops HTTP port: /healthz (alive), /readyz (readiness checks), /metrics (Prometheus). */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const timeoutMs = options.readinessTimeoutMs ?? 2_000;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: "method not allowed" });
    if (path === "/healthz") return send(res, 200, { status: "ok" });
    if (path === "/readyz") {
      if (options.shuttingDown()) return send(res, 503, { status: "shutting_down", failing: [] });
      const names = Object.keys(options.readiness);
      const results = await Promise.allSettled(
        names.map((n) => withTimeout(options.readiness[n] as () => Promise<unknown>, timeoutMs)),
      );
      const failing = names.filter((_, i) => results[i]?.status === "rejected");
      if (failing.length > 0) {
        options.logger.warn(
          {
            failing: failing.map((n) => ({
              check: n,
              error: String((results[names.indexOf(n)] as PromiseRejectedResult).reason),
            })),
          },
          "not ready",
        );
        return send(res, 503, { status: "not_ready", failing });
      }
      return send(res, 200, { status: "ready" });
    }
    if (path === "/metrics") {
      const body = await metricsRegistry.metrics();
      res.writeHead(200, { "content-type": metricsRegistry.contentType });
      res.end(body);
      return;
    }
    send(res, 404, { error: "not found" });
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error }, "ops request failed");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `ops port ${options.host}:${options.port} ${error.code === "EADDRINUSE" ? "is already in use" : `could not be opened: ${error.message}`}`,
    );
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
