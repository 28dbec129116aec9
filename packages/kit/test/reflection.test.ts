// gRPC server reflection lists the mounted services and describes them.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { startTestService, type TestService } from "@toko/testing";
import { addReflection } from "../src/grpc/reflection.ts";
import { kitTestDescriptors, startEcho } from "./support/echo-service.ts";

const require = createRequire(import.meta.url);
const reflectionProto = join(
  dirname(require.resolve("@grpc/reflection/package.json")),
  "build/proto/grpc/reflection/v1/reflection.proto",
);

interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_message: string };
}

function ask(address: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const pkg = grpc.loadPackageDefinition(loadSync(reflectionProto, { keepCase: true, oneofs: true }));
  const v1 = ((pkg.grpc as grpc.GrpcObject).reflection as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const Ctor = v1.ServerReflection as grpc.ServiceClientConstructor;
  const client = new Ctor(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const stream = (
      client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, ReflectionResponse> }
    ).ServerReflectionInfo();
    stream.on("data", (response: ReflectionResponse) => {
      resolve(response);
      stream.end();
      client.close();
    });
    stream.on("error", reject);
    stream.write(request);
  });
}

let svc: TestService;
before(async () => {
  svc = await startTestService(() => startEcho());
});
after(() => svc.stop());

test("reflection lists the service", async () => {
  const response = await ask(svc.grpcAddress, { list_services: "" });
  const names = response.list_services_response?.service.map((s) => s.name) ?? [];
  assert.deepEqual(names, ["toko.kittest.v1.EchoService"]);
});

test("reflection returns the file that defines the service", async () => {
  const response = await ask(svc.grpcAddress, { file_containing_symbol: "toko.kittest.v1.EchoService" });
  const files = response.file_descriptor_response?.file_descriptor_proto ?? [];
  assert.ok(files.length > 0, JSON.stringify(response.error_response));
  assert.ok(files.some((f) => f.toString("latin1").includes("toko/kittest/v1/echo.proto")));
});

test("the descriptor sets are read on the first reflection request, not when the server starts", async () => {
  // A set that does not exist yet when reflection is added: it is found once asked for.
  const dir = mkdtempSync(join(tmpdir(), "toko-reflection-"));
  const set = join(dir, "later.binpb");
  const server = new grpc.Server();
  addReflection(server, [set], ["toko.kittest.v1.EchoService"]);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) =>
      error ? reject(error) : resolve(p),
    ),
  );
  try {
    copyFileSync(kitTestDescriptors, set);
    const response = await ask(`127.0.0.1:${port}`, { list_services: "" });
    assert.deepEqual(
      response.list_services_response?.service.map((s) => s.name),
      ["toko.kittest.v1.EchoService"],
    );
  } finally {
    server.forceShutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});
