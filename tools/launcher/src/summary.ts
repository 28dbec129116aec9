import type { LauncherConfig } from "./config.ts";
import type { ServiceSpec } from "./manifest.ts";
import type { Output } from "./output.ts";
import type { PostgresServer } from "./postgres.ts";

/**
 * The "everything is up" block: where to point a browser or a gRPC client, how long it took
 * and, in development, the demo accounts.
 */
export function printSummary(
  output: Output,
  specs: readonly ServiceSpec[],
  pg: PostgresServer,
  config: LauncherConfig,
  dataDir: string,
  /** Shown before the last line (the demo accounts in development). */
  extra: readonly string[] = [],
): void {
  const seconds = ((Date.now() - config.startedAt) / 1000).toFixed(1);
  const width = Math.max(8, ...specs.map((s) => s.name.length));
  const lines: string[] = [];
  lines.push(
    specs.length > 0
      ? `all ${specs.length} service${specs.length === 1 ? "" : "s"} healthy in ${seconds} s`
      : `no services in ${config.root} yet; PostgreSQL is up (${seconds} s)`,
  );
  // The gateway first: it is what a person opens.
  const ordered = [...specs].sort((a, b) => Number(b.kind === "gateway") - Number(a.kind === "gateway"));
  for (const s of ordered) {
    const name = s.name.padEnd(width);
    if (s.kind === "gateway") {
      const base = `http://localhost:${s.httpPort}`;
      lines.push(`  ${name}  ${base}   docs ${base}/docs`);
    } else {
      const ops = s.opsPort !== undefined ? `   ops http://127.0.0.1:${s.opsPort}` : "";
      const http = s.httpPort !== undefined ? `   http http://127.0.0.1:${s.httpPort}` : "";
      lines.push(`  ${name}  gRPC 127.0.0.1:${s.grpcPort}${ops}${http}`);
    }
  }
  lines.push(`  ${"postgres".padEnd(width)}  ${pg.displayUrl}${pg.embedded ? `   data in ${dataDir}` : ""}`);
  lines.push(...extra, "press Ctrl-C to stop");
  for (const line of lines) output.info(line);
}
