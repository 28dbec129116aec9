import { join } from "node:path";
import { bootstrapService, type Logger, type RunningService } from "@toko/kit";
import { ClientRepository } from "./clients/client-repository.ts";
import { seededClients } from "./clients/seed-clients.ts";
import type { OAuth2Config } from "./config.ts";
import { deriveKey, SealedBox } from "./crypto/sealed-box.ts";
import { CsrfTokens } from "./http/form.ts";
import { interactionRoutes } from "./http/interactions.ts";
import { startOAuth2HttpServer } from "./http/oauth2-http-server.ts";
import { GrpcUserDirectory } from "./infrastructure/grpc-user-directory.ts";
import { SigningKeyStore } from "./keys/signing-key-store.ts";
import type { UserDirectory } from "./provider/accounts.ts";
import { createProvider } from "./provider/create-provider.ts";
import { pgAdapter, revokeClientArtifacts, sweepExpired } from "./provider/pg-adapter.ts";
import { RotatingProvider } from "./provider/provider-slot.ts";
import { adminGrpcService } from "./transport/grpc-admin-service.ts";
import { subscribeUserEvents } from "./transport/user-events.ts";

/** The service's SQL migrations. */
export const migrationsDir = join(import.meta.dirname, "..", "migrations");

/** A running oauth2 process: gRPC admin API, ops port and the public HTTP protocol port. */
export interface RunningOAuth2 extends RunningService {
  httpPort: number;
}

/** Seams for tests. */
export interface OAuth2Overrides {
  logger?: Logger;
  users?: UserDirectory;
}

/**
 * Wires the authorization server through the kit's start-up path: migrates (the kit's inbox
 * too: it consumes PasswordChanged from the bus), seeds the first-party clients, loads (or
 * creates) the signing keys, builds oidc-provider over PostgreSQL, and serves HTTP, gRPC and ops.
 */
export async function startOAuth2(
  config: OAuth2Config,
  overrides: OAuth2Overrides = {},
): Promise<RunningOAuth2> {
  let httpPort = 0;
  const service = await bootstrapService(
    { name: "oauth2", config, migrationsDir, logger: overrides.logger },
    async ({ pool, logger, onClose, startConsumers }) => {
      const users: UserDirectory =
        overrides.users ?? new GrpcUserDirectory(config.TOKO_USER_ADDR, config.TOKO_INTERNAL_SECRET);
      if (users instanceof GrpcUserDirectory) onClose(() => users.close());
      const box = SealedBox.fromKey(deriveKey(config.rootSecret, "at-rest"));
      const clients = new ClientRepository(pool, box);
      for (const seed of seededClients(config.TOKO_PUBLIC_ORIGIN, config.OAUTH2_WEB_REDIRECT_URIS)) {
        await clients.upsertSeed(seed);
      }
      // A retired key stays published for as long as anything it signed may still be presented.
      const retention = Math.max(config.OAUTH2_ACCESS_TOKEN_TTL_S, config.OAUTH2_ID_TOKEN_TTL_S) + 300;
      const keys = new SigningKeyStore(pool, box, retention);
      const adapter = pgAdapter(pool, clients);
      const csrf = new CsrfTokens(deriveKey(config.rootSecret, "csrf"));
      const cookieKeys = [deriveKey(config.rootSecret, "cookies").toString("base64url")];
      const slot = await RotatingProvider.create(
        keys,
        (keySet) => {
          const provider = createProvider({
            issuer: config.issuer,
            apiResource: config.OAUTH2_API_RESOURCE,
            apiAudience: config.OAUTH2_API_AUDIENCE,
            accessTokenTtlSeconds: config.OAUTH2_ACCESS_TOKEN_TTL_S,
            idTokenTtlSeconds: config.OAUTH2_ID_TOKEN_TTL_S,
            refreshTokenTtlSeconds: config.OAUTH2_REFRESH_TOKEN_TTL_S,
            sessionTtlSeconds: config.OAUTH2_SESSION_TTL_S,
            cookieKeys,
            keys: keySet.keys,
            adapter,
            users,
          });
          provider.use(
            interactionRoutes(provider, {
              users,
              csrf,
              apiResource: config.OAUTH2_API_RESOURCE,
              logger,
            }),
          );
          provider.on("server_error", (_ctx, error) => logger.error({ err: error }, "oauth2 server error"));
          provider.on("grant.revoked", (_ctx, grantId) =>
            logger.info({ grant_id: grantId }, "grant revoked"),
          );
          return provider;
        },
        logger,
      );
      slot.startPolling(config.OAUTH2_KEY_REFRESH_MS);
      onClose(() => slot.stop());
      const sweeper = setInterval(() => {
        sweepExpired(pool).catch((error: unknown) => logger.warn({ err: error }, "expired-row sweep failed"));
      }, 600_000);
      sweeper.unref();
      onClose(() => clearInterval(sweeper));

      await startConsumers((consumers) => subscribeUserEvents(consumers, logger));

      const http = await startOAuth2HttpServer({
        host: config.HTTP_HOST,
        port: config.HTTP_PORT,
        slot,
        trustedProxies: config.OAUTH2_TRUSTED_PROXIES,
        logger,
      });
      onClose(() => http.close());
      httpPort = http.port;

      const admin = adminGrpcService({
        clients,
        revokeClient: (clientId) => revokeClientArtifacts(pool, clientId),
        rotateSigningKey: async () => {
          const kid = await keys.rotate();
          await slot.refresh();
          return { kid, publishedKids: await keys.publishedKids() };
        },
      });
      return { services: [admin] };
    },
  );
  return { ...service, httpPort };
}
