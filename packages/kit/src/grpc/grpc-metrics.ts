import { status as Status } from "@grpc/grpc-js";
import {
  type CounterSeries,
  FastCounter,
  FastHistogram,
  type HistogramSeries,
} from "../telemetry/fast-metrics.ts";

const labelNames = ["service", "method", "code"] as const;
const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function metricsFor(side: "server" | "client") {
  return {
    handled: new FastCounter({
      name: `toko_grpc_${side}_handled_total`,
      help: `gRPC unary calls completed on the ${side} side, by status code`,
      labelNames,
    }),
    duration: new FastHistogram({
      name: `toko_grpc_${side}_duration_seconds`,
      help: `gRPC unary call duration on the ${side} side`,
      labelNames,
      buckets,
    }),
  };
}

const sides = { server: metricsFor("server"), client: metricsFor("client") };

interface Series {
  handled: CounterSeries;
  duration: HistogramSeries;
}

/** Per-method metric recorder: a status code's series are resolved once, then recording is arithmetic. */
export class MethodMetrics {
  private readonly byCode: (Series | undefined)[] = [];

  constructor(
    private readonly side: "server" | "client",
    private readonly service: string,
    private readonly method: string,
  ) {}

  /** Records one finished call. */
  record(code: Status, seconds: number): void {
    let series = this.byCode[code];
    if (!series) {
      const metrics = sides[this.side];
      const name = Status[code] ?? String(code);
      series = {
        handled: metrics.handled.series(this.service, this.method, name),
        duration: metrics.duration.series(this.service, this.method, name),
      };
      this.byCode[code] = series;
    }
    series.handled.inc();
    series.duration.observe(seconds);
  }
}

/** Splits `/pkg.Service/Method` into its service and method names. */
export function splitPath(path: string): { service: string; method: string } {
  const slash = path.lastIndexOf("/");
  return { service: path.slice(1, slash), method: path.slice(slash + 1) };
}
