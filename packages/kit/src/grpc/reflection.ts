import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer, type PackageDefinition } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";

/** The descriptor set `npm run gen` writes next to the generated contracts. */
export function contractsDescriptorSet(): string {
  // Resolve a generated file through the package's exports, then step up to the gen/ root.
  const file = fileURLToPath(import.meta.resolve("@toko/contracts/toko/common/v1/error"));
  return join(dirname(file), "..", "..", "..", "descriptors.binpb");
}

type Registered = { definition: grpc.ServiceDefinition; implementation: grpc.UntypedServiceImplementation };

/** What a ReflectionService adds to a server (its v1 and v1alpha services), without a server. */
function servicesOf(reflection: ReflectionService): Registered[] {
  const added: Registered[] = [];
  reflection.addToServer({
    addService: (definition: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation) =>
      added.push({ definition, implementation }),
  } as unknown as grpc.Server);
  return added;
}

/** The reflection services' definitions, the same for every server: read once per process. */
let definitions: grpc.ServiceDefinition[] | undefined;

/**
 * Adds gRPC server reflection for `serviceNames`, from binary descriptor sets (buf images); a
 * service missing from the sets is simply not listed. The sets are read and indexed on the first
 * reflection request, not here: indexing every contract (decoding each file descriptor several
 * times over) cost each process about a third of its start-up CPU, for a debugging aid that most
 * processes never serve.
 */
export function addReflection(
  server: grpc.Server,
  descriptorSets: readonly string[],
  serviceNames: readonly string[],
): void {
  definitions ??= servicesOf(new ReflectionService({}, { services: [] })).map((s) => s.definition);
  let handlers: Map<string, grpc.UntypedHandleCall> | undefined;
  const handlerFor = (path: string): grpc.UntypedHandleCall | undefined => {
    if (!handlers) {
      const merged: PackageDefinition = {};
      for (const set of descriptorSets) {
        if (!existsSync(set)) continue;
        Object.assign(merged, loadFileDescriptorSetFromBuffer(readFileSync(set)));
      }
      const described = serviceNames.filter((name) => name in merged);
      handlers = new Map();
      for (const { definition, implementation } of servicesOf(
        new ReflectionService(merged, { services: described }),
      )) {
        for (const [name, method] of Object.entries(definition)) {
          const handler = implementation[name];
          if (handler) handlers.set(method.path, handler);
        }
      }
    }
    return handlers.get(path);
  };
  for (const definition of definitions) {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      implementation[name] = ((call: grpc.ServerDuplexStream<unknown, unknown>) => {
        try {
          const handler = handlerFor(method.path) as (
            call: grpc.ServerDuplexStream<unknown, unknown>,
          ) => void;
          handler(call);
        } catch (error) {
          call.emit("error", {
            code: grpc.status.INTERNAL,
            details: `reflection is unavailable: ${(error as Error).message}`,
          });
        }
      }) as grpc.UntypedHandleCall;
    }
    server.addService(definition, implementation);
  }
}
