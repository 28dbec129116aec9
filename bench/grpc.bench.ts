// Unary gRPC through the kit (startService + createClient) versus bare @grpc/grpc-js with a
// hand-written service definition carrying the same message. Each server runs in its own
// process; one client channel, 50 calls in flight, warm-up first, both measured in this run.
// Besides calls/s it reports CPU µs per call of the client (process.cpuUsage) and of the server
// process (/proc/<pid>/stat): those hold up on a busy machine where calls/s does not.
import { type ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { pino } from "pino";
import { z } from "zod";
import {
  createClient,
  createLogger,
  implement,
  loadConfig,
  type Principal,
  serviceEnvShape,
  startService,
} from "../packages/kit/src/index.ts";
import {
  EchoRequest,
  EchoResponse,
  type EchoServiceServer,
  EchoServiceService,
  EchoServiceClient as KitEchoClient,
} from "../packages/kit/test/gen/toko/kittest/v1/echo.ts";
import type { BenchResult } from "./run.ts";
import { cpuSeconds, median, profileFlags, spread } from "./support.ts";

const IN_FLIGHT = 50;
const WARMUP_MS = 2_000;
const ROUND_MS = 3_000;
const ROUNDS = 5;
const SECRET = "bench-internal-secret-0123456789";

/** The bare baseline: what a hand-written grpc-js service looks like. */
const bareDefinition: grpc.ServiceDefinition = {
  echo: {
    path: "/toko.kittest.v1.EchoService/Echo",
    requestStream: false,
    responseStream: false,
    requestSerialize: (m: EchoRequest) => Buffer.from(EchoRequest.encode(m).finish()),
    requestDeserialize: (b: Buffer) => EchoRequest.decode(b),
    responseSerialize: (m: EchoResponse) => Buffer.from(EchoResponse.encode(m).finish()),
    responseDeserialize: (b: Buffer) => EchoResponse.decode(b),
  },
};

async function serve(kind: string): Promise<void> {
  let port: number;
  if (kind === "bare" || kind === "bare-nochannelz") {
    const server = new grpc.Server(kind === "bare" ? {} : { "grpc.enable_channelz": 0 });
    server.addService(bareDefinition, {
      echo: (call: grpc.ServerUnaryCall<EchoRequest, EchoResponse>, cb: grpc.sendUnaryData<EchoResponse>) =>
        cb(null, { message: call.request.message }),
    });
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
  } else {
    const env = loadConfig("bench", z.object(serviceEnvShape), {
      TOKO_INTERNAL_SECRET: SECRET,
      LOG_LEVEL: kind === "kit-verbose" ? "debug" : "info",
    });
    // The per-call log line is real work; it goes to /dev/null rather than the terminal.
    const logger = createLogger({
      service: "bench",
      level: env.LOG_LEVEL,
      destination: pino.destination({ dest: "/dev/null", sync: false }),
    });
    const service = await startService({
      // The audience principals are signed for: the client derives it from `toko.kittest.v1`.
      name: "kittest",
      env,
      logger,
      services: [
        implement<EchoServiceServer>(EchoServiceService, {
          echo: async (req) => ({ message: req.message }),
          slow: async (req) => ({ waitedMs: req.delayMs }),
          whoAmI: async () => ({ subject: "", roles: [], traceId: "", requestId: "" }),
        }),
      ],
    });
    port = service.grpcPort;
  }
  // Exit cleanly on SIGTERM so `BENCH_CPU_PROF=<dir> npm run bench -- grpc` profiles the servers too.
  process.once("SIGTERM", () => process.exit(0));
  process.stdout.write(`${port}\n`);
}

function startServer(kind: string): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    [...profileFlags(), "--import", "tsx", import.meta.filename, "--serve", kind],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) =>
      resolve({ child, address: `127.0.0.1:${d.toString().trim()}` }),
    );
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

type Call = () => Promise<unknown>;

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** CPU µs per call in this (client) process and in the server process. */
  clientCpuUs: number;
  serverCpuUs: number;
}

/** Keeps IN_FLIGHT calls going for `ms`; returns calls/s, latency percentiles and CPU per call. */
async function load(call: Call, ms: number, serverPid: number | undefined): Promise<Measured> {
  const latencies: number[] = [];
  const serverBefore = cpuSeconds(serverPid) ?? Number.NaN;
  const clientBefore = process.cpuUsage();
  const start = performance.now();
  const until = start + ms;
  const worker = async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await call();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const elapsed = performance.now() - start;
  const client = process.cpuUsage(clientBefore);
  const serverCpu = (cpuSeconds(serverPid) ?? Number.NaN) - serverBefore;
  const calls = latencies.length;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    rps: (calls / elapsed) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    clientCpuUs: (client.user + client.system) / calls,
    serverCpuUs: (serverCpu * 1e6) / calls,
  };
}

export default async function grpcBench(): Promise<BenchResult> {
  const request: EchoRequest = { message: "hello toko", failWithCode: "" };
  const principal: Principal = { subject: "u-bench", roles: ["buyer"], scopes: ["openid"] };
  const variants: {
    name: string;
    kind: string;
    makeCall: (address: string) => { call: Call; close(): void };
  }[] = [
    ...["bare", "bare-nochannelz"].map((kind) => ({
      name: kind === "bare" ? "bare grpc-js" : "bare grpc-js, channelz off (as the kit)",
      kind,
      makeCall: (address: string) => {
        const Ctor = grpc.makeGenericClientConstructor(bareDefinition, "EchoService");
        const options = kind === "bare" ? {} : { "grpc.enable_channelz": 0 };
        const client = new Ctor(address, grpc.credentials.createInsecure(), options) as unknown as {
          echo(r: EchoRequest, cb: (e: grpc.ServiceError | null, r: EchoResponse) => void): void;
          close(): void;
        };
        const call = () =>
          new Promise<EchoResponse>((resolve, reject) =>
            client.echo(request, (e, r) => (e ? reject(e) : resolve(r))),
          );
        return { call, close: () => client.close() };
      },
    })),
    ...["kit", "kit-verbose"].map((kind) => ({
      name: kind === "kit" ? "kit (default, LOG_LEVEL=info)" : "kit (LOG_LEVEL=debug: a line per call)",
      kind,
      makeCall: (address: string) => {
        const client = createClient(KitEchoClient, address, { internalSecret: SECRET });
        const options = { principal };
        return { call: () => client.echo(request, options), close: () => client.close() };
      },
    })),
  ];
  const started = await Promise.all(variants.map((v) => startServer(v.kind)));
  const clients = variants.map((v, i) => v.makeCall(started[i]?.address ?? ""));
  try {
    for (const [i, c] of clients.entries()) await load(c.call, WARMUP_MS, started[i]?.child.pid);
    const runs: Measured[][] = variants.map(() => []);
    // Interleave rounds so drift on a noisy machine hits every variant alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of clients.entries())
        runs[i]?.push(await load(c.call, ROUND_MS, started[i]?.child.pid));
    }
    const of = (i: number, key: keyof Measured) => (runs[i] ?? []).map((r) => r[key]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Each round's ratio is against the bare run of the same round.
    const ratios = (i: number) => of(i, "rps").map((rps, round) => rps / (of(0, "rps")[round] ?? 1));
    const rows = variants.map((v, i) => ({
      variant: v.name,
      "calls/s": Math.round(mean(of(i, "rps"))),
      "p50 ms": Number(mean(of(i, "p50")).toFixed(2)),
      "p99 ms": Number(mean(of(i, "p99")).toFixed(2)),
      "vs bare": Number(median(ratios(i)).toFixed(2)),
      "client CPU µs/call": Number(median(of(i, "clientCpuUs")).toFixed(1)),
      "server CPU µs/call": Number(median(of(i, "serverCpuUs")).toFixed(1)),
    }));
    const cpuRatio = (i: number) =>
      (median(of(0, "clientCpuUs")) + median(of(0, "serverCpuUs"))) /
      (median(of(i, "clientCpuUs")) + median(of(i, "serverCpuUs")));
    return {
      name: "gRPC unary: kit vs bare grpc-js",
      rows,
      notes: [
        `${IN_FLIGHT} calls in flight on one channel, server in its own process, ${WARMUP_MS} ms warm-up, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms each; "vs bare" is the median of the per-round ratios, CPU columns the median per round.`,
        "kit = principal signing (cached) + verification, request id, trace propagation, metrics on both sides, error mapping; a log line per failed call (successful calls log at debug).",
        ...variants
          .slice(1)
          .map(
            (v, j) =>
              `${v.name}: ratio per round ${spread(ratios(j + 1), 2)}; client CPU µs/call ${spread(of(j + 1, "clientCpuUs"), 1)}; server CPU µs/call ${spread(of(j + 1, "serverCpuUs"), 1)}; bare/this total CPU per call ${cpuRatio(j + 1).toFixed(2)}.`,
          ),
        `bare: client CPU µs/call ${spread(of(0, "clientCpuUs"), 1)}; server CPU µs/call ${spread(of(0, "serverCpuUs"), 1)}.`,
        "The kit turns channelz off on its servers and clients (Toko serves no channelz service); the second row shows what that alone is worth, and the last line the kit against that like-for-like baseline.",
        `kit (default) / bare with channelz off: ratio per round ${spread(
          of(2, "rps").map((rps, round) => rps / (of(1, "rps")[round] ?? 1)),
          2,
        )}.`,
        `goal: kit (default) / bare >= 0.8 -> ${rows[2]?.["vs bare"]}`,
      ],
    };
  } finally {
    for (const c of clients) c.close();
    for (const s of started) s.child.kill("SIGTERM");
  }
}

if (process.argv[2] === "--serve") await serve(process.argv[3] ?? "bare");
