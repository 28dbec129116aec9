// A tiny service over the kit's test EchoService, used by the kit's own tests.
import { join } from "node:path";
import type { Metadata } from "@grpc/grpc-js";
import { trace } from "@opentelemetry/api";
import { TEST_INTERNAL_SECRET } from "@toko/testing";
import { z } from "zod";
import {
  DomainError,
  type ErrorKind,
  implement,
  loadConfig,
  type RunningService,
  type ServiceEnv,
  type StartServiceOptions,
  serviceEnvShape,
  startService,
} from "../../src/index.ts";
import { type EchoServiceServer, EchoServiceService } from "../gen/toko/kittest/v1/echo.ts";

export const kitTestDescriptors = join(import.meta.dirname, "..", "gen", "descriptors.binpb");

/** Parses the common service env for a test (random ports, silent logs, test secret). */
export function testEnv(overrides: Record<string, string> = {}): ServiceEnv {
  return loadConfig("kit-test", z.object(serviceEnvShape), {
    GRPC_PORT: "0",
    OPS_PORT: "0",
    LOG_LEVEL: "silent",
    LOG_FORMAT: "json",
    TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET,
    ...overrides,
  });
}

export interface EchoHooks {
  /** Counts every call the server handled, by method. */
  hits: Map<string, number>;
  /** Called by Echo with message "downstream" to chain a call to another service. */
  downstream?: () => Promise<string>;
  /** Slow calls whose signal was aborted (cut by shutdown or cancelled). */
  aborted?: number;
  /** Methods callable without a principal; default all three. */
  anonymous?: readonly ("echo" | "slow" | "whoAmI")[];
  /** Sees the metadata of every WhoAmI call (to capture a signed principal header). */
  onWhoAmI?: (metadata: Metadata) => void;
}

/** Fails Echo with the kind named in `fail_with_code`: "kind:CODE" (or "boom" for a bug). */
function failure(spec: string): Error {
  if (spec === "boom") return new Error("secret database password is hunter2");
  const [kind, code] = spec.split(":") as [ErrorKind, string];
  return new DomainError(
    kind,
    code ?? "TEST",
    `failed with ${spec}`,
    kind === "invalid" ? [{ field: "message", message: "too short" }] : [],
  );
}

/** Starts the echo test service with `startService`, named `kittest` (its proto package) unless told otherwise. */
export function startEcho(
  hooks: EchoHooks = { hits: new Map() },
  options: Partial<StartServiceOptions> = {},
): Promise<RunningService> {
  const hit = (name: string) => hooks.hits.set(name, (hooks.hits.get(name) ?? 0) + 1);
  const declared = { anonymous: hooks.anonymous ?? ["echo", "slow", "whoAmI"] };
  return startService({
    name: "kittest",
    env: testEnv(),
    descriptorSets: [kitTestDescriptors],
    ...options,
    services: [
      implement<EchoServiceServer>(EchoServiceService, declared, {
        async echo(req) {
          hit("echo");
          if (req.failWithCode) throw failure(req.failWithCode);
          if (req.message === "downstream" && hooks.downstream) return { message: await hooks.downstream() };
          if (req.message === "unencodable") {
            // A response the generated encoder cannot write.
            return {
              get message(): string {
                throw new Error("cannot encode");
              },
            };
          }
          return { message: req.message };
        },
        async slow(req, ctx) {
          hit("slow");
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, req.delayMs);
            ctx.signal.addEventListener("abort", () => {
              hooks.aborted = (hooks.aborted ?? 0) + 1;
              clearTimeout(timer);
              resolve();
            });
          });
          return { waitedMs: req.delayMs };
        },
        async whoAmI(_req, ctx) {
          hit("whoAmI");
          hooks.onWhoAmI?.(ctx.metadata);
          const span = trace.getActiveSpan()?.spanContext();
          return {
            subject: ctx.principal?.subject ?? "",
            roles: [...(ctx.principal?.roles ?? [])],
            traceId: span?.traceId ?? "",
            requestId: ctx.requestId,
          };
        },
      }),
    ],
  });
}
