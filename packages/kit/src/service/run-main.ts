import type { RunningService } from "./start-service.ts";

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, " ");
}

/**
 * The process entry point of a service: starts it, stops it gracefully on SIGTERM/SIGINT and
 * exits 0. A failed start (bad config, failed migration, port in use...) prints one line
 * naming the cause to stderr and exits 1.
 */
export function runMain(name: string, start: () => Promise<RunningService>): void {
  let running: RunningService | undefined;
  let signalled = false;
  const shutdown = (service: RunningService): void => {
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${name}: shutdown failed: ${describe(error)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = (): void => {
    if (signalled) return;
    signalled = true;
    if (running) shutdown(running);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // A start function that throws before returning its promise (config parsed inline) is a
  // failed start too, reported the same way.
  new Promise<RunningService>((resolve) => resolve(start())).then(
    (service) => {
      running = service;
      if (signalled) shutdown(service);
    },
    (error: unknown) => {
      process.stderr.write(`${name}: failed to start: ${describe(error)}\n`);
      process.exit(1);
    },
  );
}
