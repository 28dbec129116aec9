// Bare grpc-js access, to look at what actually goes over the wire.
import * as grpc from "@grpc/grpc-js";
import { EchoServiceClient } from "../gen/toko/kittest/v1/echo.ts";

/** A generated client with no kit wrapping. */
export function rawEchoClient(address: string): EchoServiceClient {
  return new EchoServiceClient(address, grpc.credentials.createInsecure());
}

/** Makes a call expected to fail and returns the raw ServiceError. */
export function rawUnary(
  client: EchoServiceClient,
  method: "echo" | "whoAmI",
  request: unknown,
  metadata = new grpc.Metadata(),
): Promise<grpc.ServiceError> {
  return new Promise((resolve, reject) => {
    const fn = client[method].bind(client) as (
      r: unknown,
      m: grpc.Metadata,
      cb: (e: grpc.ServiceError | null, res: unknown) => void,
    ) => void;
    fn(request, metadata, (error, response) => {
      if (error) resolve(error);
      else reject(new Error(`expected a failure, got ${JSON.stringify(response)}`));
    });
  });
}
