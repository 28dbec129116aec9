import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@toko/kit";
import type Provider from "oidc-provider";
import type { TrustedPeers } from "./trusted-peers.ts";

/** The provider currently serving; replaced when the signing keys rotate. */
export interface ProviderSlot {
  current(): Provider;
}

export interface OAuth2HttpServer {
  port: number;
  close(): Promise<void>;
}

const MOUNT = "/oauth2";

/**
 * The public protocol port: oidc-provider mounted at `/oauth2` (the gateway forwards
 * `{origin}/oauth2/*` here unchanged). X-Forwarded-* are honoured only from trusted peers.
 */
export async function startOAuth2HttpServer(options: {
  host: string;
  port: number;
  slot: ProviderSlot;
  trustedProxies: TrustedPeers;
  logger: Logger;
}): Promise<OAuth2HttpServer> {
  const handlers = new WeakMap<Provider, ReturnType<Provider["callback"]>>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (!options.trustedProxies.has(req.socket.remoteAddress ?? "")) {
      for (const name of Object.keys(req.headers))
        if (name.startsWith("x-forwarded-")) delete req.headers[name];
    } else {
      // The trusted proxy resolved the client itself: only the hop it added counts (the sign-in
      // lockout keys on this address, so a client-supplied earlier entry must not).
      const forwardedFor = req.headers["x-forwarded-for"];
      const last = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .at(-1);
      if (last === undefined) delete req.headers["x-forwarded-for"];
      else req.headers["x-forwarded-for"] = last;
    }
    const url = req.url ?? "/";
    if (url !== MOUNT && !url.startsWith(`${MOUNT}/`) && !url.startsWith(`${MOUNT}?`)) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "not_found", error_description: "the issuer lives under /oauth2" }));
      return;
    }
    // oidc-provider derives its mount path from originalUrl minus url (as under Express).
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = url.slice(MOUNT.length) || "/";
    const provider = options.slot.current();
    let handler = handlers.get(provider);
    if (!handler) {
      handler = provider.callback();
      handlers.set(provider, handler);
    }
    void handler(req, res);
  };
  const server: Server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ http_port: port }, "oauth2 HTTP listening");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
