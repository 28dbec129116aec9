import { ShortenerServiceClient } from "@toko/contracts/toko/shortener/v1/shortener";
import { metricsRegistry } from "@toko/kit";
import { Counter, Gauge } from "prom-client";
import { ClickBuffer } from "../../redirect/click-buffer.ts";
import { ResolutionCache } from "../../redirect/resolution-cache.ts";
import { GATEWAY_PRINCIPAL } from "../../upstreams.ts";
import { defineRouteModule } from "../route-module.ts";
import { registerLinkRoutes } from "./link-routes.ts";
import { registerRedirectRoute } from "./redirect-route.ts";

const dropped = new Counter({
  name: "gateway_clicks_dropped_total",
  help: "Clicks dropped because the buffer was full while the shortener was unreachable",
  registers: [metricsRegistry],
});
const buffers = new Set<ClickBuffer>();
new Gauge({
  name: "gateway_clicks_buffered",
  help: "Clicks waiting to be delivered to the shortener",
  registers: [metricsRegistry],
  collect() {
    let sum = 0;
    for (const b of buffers) sum += b.buffered;
    this.set(sum);
  },
});

/** Negative entries live briefly: a code that is created later starts working within this. */
const NEGATIVE_TTL_MS = 2_000;

/** Short links: the `/api/v1/links` API and the `/s/{code}` redirect, routed to `shortener`. */
export const linksModule = defineRouteModule({
  service: "shortener",
  client: ShortenerServiceClient,
  register(app, upstream, settings) {
    const cache = new ResolutionCache({
      maxEntries: settings.redirectCache.size,
      ttlMs: settings.redirectCache.ttlMs,
      negativeTtlMs: Math.min(NEGATIVE_TTL_MS, settings.redirectCache.ttlMs),
    });
    const clicks = new ClickBuffer({
      send: async (batchId, batch) => {
        await upstream.client.recordClicks(
          {
            batchId,
            clicks: batch.map((c) => ({
              code: c.code,
              at: c.at,
              referrerHost: c.referrerHost,
              userAgent: c.userAgent,
              userAgentFamily: c.userAgentFamily,
            })),
          },
          { principal: GATEWAY_PRINCIPAL },
        );
      },
      onDropped: (n) => dropped.inc(n),
      onError: (error) => app.log.warn({ err: error }, "click batch not delivered; will retry"),
    });
    buffers.add(clicks);
    // The app closes its upstream channels only after every onClose hook: the last batch still goes out.
    app.addHook("onClose", async () => {
      await clicks.close();
      buffers.delete(clicks);
    });
    registerRedirectRoute(app, upstream, cache, clicks, settings.strictRateLimits.linkMisses);
    registerLinkRoutes(app, upstream, settings.publicOrigin, {
      forget: (code) => cache.delete(code),
      flushClicks: () => clicks.flush(),
    });
  },
});
