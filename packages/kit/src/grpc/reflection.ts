import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as grpc from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer, type PackageDefinition } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";

/** The descriptor set `npm run gen` writes next to the generated contracts. */
export function contractsDescriptorSet(): string {
  // Resolve a generated file through the package's exports, then step up to the gen/ root.
  const file = fileURLToPath(import.meta.resolve("@toko/contracts/toko/common/v1/error"));
  return join(dirname(file), "..", "..", "..", "descriptors.binpb");
}

/**
 * Adds gRPC server reflection for `serviceNames`, from binary descriptor sets (buf images).
 * Returns the names it could describe; a service missing from the sets is simply not listed.
 */
export function addReflection(
  server: grpc.Server,
  descriptorSets: readonly string[],
  serviceNames: readonly string[],
): string[] {
  const merged: PackageDefinition = {};
  for (const path of descriptorSets) {
    if (!existsSync(path)) continue;
    Object.assign(merged, loadFileDescriptorSetFromBuffer(readFileSync(path)));
  }
  const described = serviceNames.filter((name) => name in merged);
  if (described.length > 0) new ReflectionService(merged, { services: described }).addToServer(server);
  return described;
}
