import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/** Route path of the machine-readable contract. */
export const OPENAPI_PATH = "/api/v1/openapi.json";

/**
 * OpenAPI 3.1 generated from the same TypeBox schemas that validate requests, served as JSON
 * and rendered by Swagger UI at /docs (assets come from the package: works offline).
 */
export async function installOpenApi(app: FastifyInstance, publicOrigin: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Toko public API",
        version: "1.0.0",
        description:
          "REST/JSON edge of Toko. Errors are application/problem+json (RFC 9457) with a stable `code`.",
      },
      servers: [{ url: publicOrigin }],
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true, uiConfig: { deepLinking: true } });
  app.get(OPENAPI_PATH, { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());
}
