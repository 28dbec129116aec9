// Unary gRPC through the kit (startService + createClient) versus bare @grpc/grpc-js with a
// hand-written service definition carrying the same message. Each server runs in its own
// process; one client channel, 50 calls in flight, warm-up first, both measured in this run.
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

const IN_FLIGHT = 50;
const WARMUP_MS = 2_000;
const ROUND_MS = 4_000;
const ROUNDS = 2;
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
  if (kind === "bare") {
    const server = new grpc.Server();
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
      LOG_LEVEL: kind === "kit-quiet" ? "warn" : "info",
    });
    // The per-call log line is real work; it goes to /dev/null rather than the terminal.
    const logger = createLogger({
      service: "bench",
      level: env.LOG_LEVEL,
      destination: pino.destination({ dest: "/dev/null", sync: false }),
    });
    const service = await startService({
      name: "bench",
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
  process.stdout.write(`${port}\n`);
}

function startServer(kind: string): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, "--serve", kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) =>
      resolve({ child, address: `127.0.0.1:${d.toString().trim()}` }),
    );
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

type Call = () => Promise<unknown>;

/** Keeps IN_FLIGHT calls going for `ms`; returns calls/s and latency percentiles. */
async function load(call: Call, ms: number): Promise<{ rps: number; p50: number; p99: number }> {
  const latencies: number[] = [];
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
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99) };
}

export default async function grpcBench(): Promise<BenchResult> {
  const request: EchoRequest = { message: "hello toko", failWithCode: "" };
  const principal: Principal = { subject: "u-bench", roles: ["buyer"], scopes: ["openid"] };
  const variants: {
    name: string;
    kind: string;
    makeCall: (address: string) => { call: Call; close(): void };
  }[] = [
    {
      name: "bare grpc-js",
      kind: "bare",
      makeCall: (address) => {
        const Ctor = grpc.makeGenericClientConstructor(bareDefinition, "EchoService");
        const client = new Ctor(address, grpc.credentials.createInsecure()) as unknown as {
          echo(r: EchoRequest, cb: (e: grpc.ServiceError | null, r: EchoResponse) => void): void;
          close(): void;
        };
        const call = () =>
          new Promise<EchoResponse>((resolve, reject) =>
            client.echo(request, (e, r) => (e ? reject(e) : resolve(r))),
          );
        return { call, close: () => client.close() };
      },
    },
    ...["kit", "kit-quiet"].map((kind) => ({
      name: kind === "kit" ? "kit (info log per call)" : "kit (LOG_LEVEL=warn)",
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
    for (const c of clients) await load(c.call, WARMUP_MS);
    const sums = variants.map(() => ({ rps: 0, p50: 0, p99: 0 }));
    // Interleave rounds so drift on a noisy machine hits every variant alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, c] of clients.entries()) {
        const r = await load(c.call, ROUND_MS);
        const sum = sums[i] as { rps: number; p50: number; p99: number };
        sum.rps += r.rps / ROUNDS;
        sum.p50 += r.p50 / ROUNDS;
        sum.p99 += r.p99 / ROUNDS;
      }
    }
    const bare = sums[0]?.rps ?? 1;
    const rows = variants.map((v, i) => ({
      variant: v.name,
      "calls/s": Math.round(sums[i]?.rps ?? 0),
      "p50 ms": Number((sums[i]?.p50 ?? 0).toFixed(2)),
      "p99 ms": Number((sums[i]?.p99 ?? 0).toFixed(2)),
      "vs bare": Number(((sums[i]?.rps ?? 0) / bare).toFixed(2)),
    }));
    return {
      name: "gRPC unary: kit vs bare grpc-js",
      rows,
      notes: [
        `${IN_FLIGHT} calls in flight on one channel, server in its own process, ${WARMUP_MS} ms warm-up, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms each.`,
        "kit = principal signing (cached) + verification, request id, trace propagation, metrics on both sides, error mapping, one log line per call.",
        `goal: kit (info log per call) / bare >= 0.8 -> ${rows[1]?.["vs bare"]}`,
      ],
    };
  } finally {
    for (const c of clients) c.close();
    for (const s of started) s.child.kill("SIGTERM");
  }
}

if (process.argv[2] === "--serve") await serve(process.argv[3] ?? "bare");
