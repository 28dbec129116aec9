import { deadLetterAdminService } from "../events/dead-letter-admin.ts";
import { createDeadLetterStore } from "../events/dead-letters.ts";
import type { ImplementedService } from "../grpc/implement.ts";
import type { ServiceEnv } from "./service-env.ts";
import {
  openServiceResources,
  type ServiceResources,
  type ServiceResourcesOptions,
} from "./service-resources.ts";
import { type RunningService, startService } from "./start-service.ts";

/** What a service's wiring hands back to be served. */
export interface ServiceWiring {
  services: ImplementedService[];
  /** Readiness checks besides `database` (which is always there). */
  readiness?: Record<string, () => Promise<unknown>>;
  /** Overrides TOKO_INTERNAL_SECRET. */
  internalSecret?: string;
  /** Extra descriptor sets for reflection. */
  descriptorSets?: string[];
}

/** `openServiceResources`' options; the config also carries the ports and shutdown grace (`serviceEnvShape`). */
export type BootstrapServiceOptions = ServiceResourcesOptions & { config: ServiceEnv };

/**
 * The one start-up path of a service: opens its resources (`openServiceResources`), lets
 * `wire` build use cases, consumers and timers on them, and serves gRPC plus the ops port.
 * A service with the kit's tables also serves `toko.ops.v1.DeadLetterService` (admin only), so
 * operators can list and redrive its dead letters.
 * Shutdown drains gRPC, then closes everything in order; a failure anywhere during start-up
 * closes what was opened and rethrows, so `runMain` can report it and exit.
 */
export async function bootstrapService<DB>(
  options: BootstrapServiceOptions,
  wire: (resources: ServiceResources<DB>) => ServiceWiring | Promise<ServiceWiring>,
): Promise<RunningService> {
  const resources = await openServiceResources<DB>(options);
  try {
    const wiring = await wire(resources);
    return await startService({
      name: options.name,
      env: options.config,
      logger: resources.logger,
      services:
        options.kitTables === false
          ? wiring.services
          : [...wiring.services, deadLetterAdminService(createDeadLetterStore(resources.pool))],
      readiness: { database: () => resources.pool.query("SELECT 1"), ...wiring.readiness },
      onShutdown: [() => resources.close()],
      internalSecret: wiring.internalSecret,
      descriptorSets: wiring.descriptorSets,
    });
  } catch (error) {
    await resources.close();
    throw error;
  }
}
