import type * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";

type ServingStatus = "SERVING" | "NOT_SERVING";

/** The standard grpc.health.v1 service for one server, with its watch streams tracked. */
export interface ServerHealth {
  /** Sets the status of the whole server ("") and of each named service. */
  set(status: ServingStatus): void;
  /** Ends every Watch stream (after NOT_SERVING was sent) so they do not hold up draining. */
  endWatches(): void;
}

/** Mounts grpc.health.v1 on `server` for the given service names, starting NOT_SERVING. */
export function addHealth(server: grpc.Server, serviceNames: readonly string[]): ServerHealth {
  const health = new HealthImplementation({ "": "NOT_SERVING" });
  const watches = new Set<grpc.ServerWritableStream<unknown, unknown>>();
  health.addToServer({
    addService: (definition, implementation) => {
      const watch = implementation.watch as grpc.handleServerStreamingCall<unknown, unknown>;
      server.addService(definition as grpc.ServiceDefinition, {
        ...(implementation as grpc.UntypedServiceImplementation),
        watch: (call: grpc.ServerWritableStream<unknown, unknown>) => {
          watches.add(call);
          call.on("cancelled", () => watches.delete(call));
          watch(call);
        },
      });
    },
  });
  return {
    set: (status) => {
      for (const name of ["", ...serviceNames]) health.setStatus(name, status);
    },
    endWatches: () => {
      for (const call of watches) call.end();
      watches.clear();
    },
  };
}
