import { status as Status } from "@grpc/grpc-js";

/** A call to another service failed in transport or with an unexpected error (no domain error). */
export class RemoteCallError extends Error {
  readonly status: Status;
  readonly method: string;

  constructor(method: string, status: Status, details: string) {
    super(`${method} failed: ${Status[status] ?? status}${details ? `: ${details}` : ""}`);
    this.name = "RemoteCallError";
    this.status = status;
    this.method = method;
  }
}
