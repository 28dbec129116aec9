// A grpc.health.v1 client loaded from the proto shipped with grpc-health-check.
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath } from "grpc-health-check";

type HealthClient = grpc.Client & {
  watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
  check(
    request: { service: string },
    callback: (e: grpc.ServiceError | null, r?: { status: string }) => void,
  ): void;
};

/** A raw health client on `address`. */
export function healthClient(address: string): HealthClient {
  const definition = grpc.loadPackageDefinition(loadSync(protoPath, { enums: String, keepCase: true }));
  const health = (definition.grpc as grpc.GrpcObject).health as grpc.GrpcObject;
  const ctor = (health.v1 as grpc.GrpcObject).Health as grpc.ServiceClientConstructor;
  return new ctor(address, grpc.credentials.createInsecure()) as unknown as HealthClient;
}
