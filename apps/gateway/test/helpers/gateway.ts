import type { FastifyInstance } from "fastify";
import { type BuildOptions, buildGateway } from "../../src/app.ts";
import { type GatewayConfig, loadGatewayConfig } from "../../src/config.ts";
import { linksModule } from "../../src/routes/links/index.ts";
import type { TestIssuer } from "./test-issuer.ts";

export const INTERNAL_SECRET = "test-internal-secret-0123456789";

/** A gateway listening on a free loopback port. */
export interface RunningGateway {
  url: string;
  config: GatewayConfig;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Builds and starts a real gateway with test defaults; `env` overrides any variable. */
export async function startGateway(
  issuer: TestIssuer,
  env: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<RunningGateway> {
  const config = loadGatewayConfig({
    LOG_LEVEL: "silent",
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: "0",
    TOKO_INTERNAL_SECRET: INTERNAL_SECRET,
    TOKO_JWT_ISSUER: issuer.issuer,
    TOKO_JWKS_URL: issuer.jwksUrl,
    TOKO_JWT_AUDIENCE: issuer.audience,
    TOKO_JWKS_REFETCH_COOLDOWN_MS: "0",
    // Nothing listens there: platform tests never reach a service.
    TOKO_SHORTENER_ADDR: "127.0.0.1:9",
    ...env,
  });
  // The platform and short-link tests route to the shortener only; other areas bring their own modules.
  const gateway = await buildGateway(config, { modules: [linksModule], ...options });
  const url = await gateway.listen();
  return { url, config, app: gateway.app, close: () => gateway.close() };
}

/** JSON body and headers of a response, for terse assertions. */
export async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}
