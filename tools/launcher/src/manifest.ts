/** What the launcher knows about one deployable, from the `"toko"` field of its package.json. */
export interface ServiceSpec {
  /** Directory name: `services/<name>` or `apps/<name>`. */
  name: string;
  /** Absolute directory of the package. */
  dir: string;
  kind: "service" | "gateway";
  grpcPort?: number;
  opsPort?: number;
  httpPort?: number;
  /** Its own database, created and migrated before it starts. */
  database?: string;
  dependsOn: string[];
  /** Idempotent seed script, relative to `dir`, run once before the service starts. */
  seed?: string;
}

/** A manifest, a dependency graph or the environment is wrong; the message says what to fix. */
export class LauncherError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LauncherError";
  }
}

const NAME = /^[a-z][a-z0-9-]*$/;
const DATABASE = /^[a-z_][a-z0-9_]*$/;

function port(where: string, field: string, value: unknown, required: boolean): number | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new LauncherError(
      `${where}: "toko.${field}" must be a port number (1-65535), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Validates a `"toko"` field; `where` names the package.json in errors. */
export function parseManifest(name: string, dir: string, where: string, raw: unknown): ServiceSpec {
  if (!NAME.test(name)) throw new LauncherError(`${where}: directory name "${name}" must be kebab-case`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new LauncherError(`${where}: "toko" must be an object`);
  }
  const t = raw as Record<string, unknown>;
  if (t.kind !== "service" && t.kind !== "gateway") {
    throw new LauncherError(
      `${where}: "toko.kind" must be "service" or "gateway", got ${JSON.stringify(t.kind)}`,
    );
  }
  const isService = t.kind === "service";
  const dependsOn = t.dependsOn ?? [];
  if (!Array.isArray(dependsOn) || !dependsOn.every((d) => typeof d === "string")) {
    throw new LauncherError(`${where}: "toko.dependsOn" must be an array of service names`);
  }
  let database: string | undefined;
  if (t.database !== undefined) {
    if (typeof t.database !== "string" || !DATABASE.test(t.database)) {
      throw new LauncherError(
        `${where}: "toko.database" must match ${DATABASE}, got ${JSON.stringify(t.database)}`,
      );
    }
    database = t.database;
  } else if (isService) {
    database = name.replaceAll("-", "_");
  }
  if (t.seed !== undefined && (typeof t.seed !== "string" || t.seed.length === 0)) {
    throw new LauncherError(`${where}: "toko.seed" must be a path such as "src/seed.ts"`);
  }
  const spec: ServiceSpec = { name, dir, kind: t.kind, dependsOn: [...new Set(dependsOn as string[])] };
  const grpcPort = port(where, "grpcPort", t.grpcPort, isService);
  const opsPort = port(where, "opsPort", t.opsPort, isService);
  const httpPort = port(where, "httpPort", t.httpPort, !isService);
  if (grpcPort !== undefined) spec.grpcPort = grpcPort;
  if (opsPort !== undefined) spec.opsPort = opsPort;
  if (httpPort !== undefined) spec.httpPort = httpPort;
  if (database !== undefined) spec.database = database;
  if (typeof t.seed === "string") spec.seed = t.seed;
  return spec;
}

/** The URL that answers 200 once the process is ready: its ops port, or a gateway's HTTP port. */
export function readinessUrl(spec: ServiceSpec): string {
  const p = spec.opsPort ?? spec.httpPort;
  return `http://127.0.0.1:${p}/readyz`;
}

/** Every port the process will listen on, with a label for error messages. */
export function portsOf(spec: ServiceSpec): { port: number; label: string }[] {
  const out: { port: number; label: string }[] = [];
  if (spec.grpcPort !== undefined) out.push({ port: spec.grpcPort, label: `${spec.name} gRPC` });
  if (spec.opsPort !== undefined) out.push({ port: spec.opsPort, label: `${spec.name} ops` });
  if (spec.httpPort !== undefined) out.push({ port: spec.httpPort, label: `${spec.name} HTTP` });
  return out;
}

/** Shifts every port of a spec, so tests can run the fixtures beside a real stack. */
export function withPortOffset(spec: ServiceSpec, offset: number): ServiceSpec {
  if (offset === 0) return spec;
  const shifted = { ...spec };
  for (const key of ["grpcPort", "opsPort", "httpPort"] as const) {
    const p = spec[key];
    if (p === undefined) continue;
    if (p + offset < 1 || p + offset > 65535) {
      throw new LauncherError(`--port-offset ${offset} moves ${spec.name} ${key} ${p} out of range`);
    }
    shifted[key] = p + offset;
  }
  return shifted;
}
