import { status as Status } from "@grpc/grpc-js";
import { Counter, Histogram } from "prom-client";
import { metricsRegistry } from "../telemetry/metrics.ts";

const labelNames = ["service", "method", "code"] as const;
const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function metricsFor(side: "server" | "client") {
  return {
    handled: new Counter({
      name: `toko_grpc_${side}_handled_total`,
      help: `gRPC unary calls completed on the ${side} side, by status code`,
      labelNames,
      registers: [metricsRegistry],
    }),
    duration: new Histogram({
      name: `toko_grpc_${side}_duration_seconds`,
      help: `gRPC unary call duration on the ${side} side`,
      labelNames,
      buckets,
      registers: [metricsRegistry],
    }),
  };
}

const sides = { server: metricsFor("server"), client: metricsFor("client") };

interface Children {
  handled: { inc(): void };
  duration: { observe(value: number): void };
}

/**
 * Per-method metric recorder. Label children are resolved once per status code and reused,
 * so recording a call allocates nothing.
 */
export class MethodMetrics {
  private readonly byCode: (Children | undefined)[] = [];

  constructor(
    private readonly side: "server" | "client",
    private readonly service: string,
    private readonly method: string,
  ) {}

  /** Records one finished call. */
  record(code: Status, seconds: number): void {
    let children = this.byCode[code];
    if (!children) {
      const metrics = sides[this.side];
      const name = Status[code] ?? String(code);
      children = {
        handled: metrics.handled.labels(this.service, this.method, name),
        duration: metrics.duration.labels(this.service, this.method, name),
      };
      this.byCode[code] = children;
    }
    children.handled.inc();
    children.duration.observe(seconds);
  }
}

/** Splits `/pkg.Service/Method` into its service and method names. */
export function splitPath(path: string): { service: string; method: string } {
  const slash = path.lastIndexOf("/");
  return { service: path.slice(1, slash), method: path.slice(slash + 1) };
}
