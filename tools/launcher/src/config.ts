import { isAbsolute, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LauncherError } from "./manifest.ts";
import { defaultRestartPolicy, type RestartPolicyOptions } from "./restart-policy.ts";

/** The repository this launcher lives in. */
export const repoRoot = resolve(import.meta.dirname, "..", "..", "..");

type Env = Record<string, string | undefined>;

/** Everything a launcher run needs, from the command line and the environment. */
export interface LauncherConfig {
  /** Where `services/*` and `apps/*` are discovered. */
  root: string;
  /** `.data/`: PostgreSQL's files, the internal secret. */
  dataDir: string;
  reset: boolean;
  portOffset: number;
  /** Port of the embedded PostgreSQL. */
  postgresPort: number;
  /** An external PostgreSQL to use instead of the embedded one. */
  postgresUrl: string | undefined;
  graceMs: number;
  readyTimeoutMs: number;
  restart: RestartPolicyOptions;
  color: boolean;
  /**
   * Run the services' TypeScript through tsx (TOKO_DEV_TSX=1) instead of from the production
   * build the launcher keeps current: no build step, at the price of memory and start-up time.
   */
  devTsx: boolean;
  /** Environment the services inherit (PATH and friends); the launcher's own variables override it. */
  baseEnv: Env;
  /** When the user ran the command, for the "up in N s" line. */
  startedAt: number;
}

export const usage = `Usage: npm start -- [options]      (npm run migrate -- [options] migrates and exits)
  --root <dir>            where services/* and apps/* are discovered (default: the repository)
  --data-dir <dir>        PostgreSQL data and the internal secret (default: <repo>/.data)
  --reset                 wipe the data directory first
  --port-offset <n>       add n to every service port (run a second stack beside the first)
  --grace-ms <n>          how long a stopping service may take before SIGKILL (default 10000)
  --ready-timeout-ms <n>  how long a service may take to become ready (default 60000)
  --backoff-ms <n>        first restart delay after a crash, doubled each time (default 250)
  --max-restarts <n>      fast crashes in a row before giving up (default 5)
Environment: TOKO_PG_PORT (embedded PostgreSQL port, default 5433),
  TOKO_POSTGRES_URL (use this PostgreSQL instead of the embedded one),
  TOKO_ENV=production (run the services as in production: no demo data or accounts),
  TOKO_DEV_TSX=1 (run the services' TypeScript through tsx instead of their build), NO_COLOR.`;

function int(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new LauncherError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

/** Parses arguments and environment; a mistake is a `LauncherError` naming the option. */
export function loadLauncherConfig(
  argv: readonly string[],
  env: Env = process.env,
  isTTY = false,
): LauncherConfig | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        root: { type: "string" },
        "data-dir": { type: "string" },
        reset: { type: "boolean" },
        "port-offset": { type: "string" },
        "grace-ms": { type: "string" },
        "ready-timeout-ms": { type: "string" },
        "backoff-ms": { type: "string" },
        "max-restarts": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // node's messages span lines; the launcher's errors are one line.
    throw new LauncherError(`${(error as Error).message.replace(/\s*\n\s*/g, " ")} (see --help)`);
  }
  if (values.help) return "help";
  const str = (k: string) => values[k] as string | undefined;
  const path = (p: string | undefined, fallback: string) => (p ? (isAbsolute(p) ? p : resolve(p)) : fallback);
  const postgresUrl = env.TOKO_POSTGRES_URL || undefined;
  if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    throw new LauncherError("TOKO_POSTGRES_URL must be a postgres:// URL");
  }
  const startedAt = Number(env.TOKO_LAUNCHER_STARTED_AT);
  return {
    root: path(str("root"), repoRoot),
    dataDir: path(str("data-dir"), resolve(repoRoot, ".data")),
    reset: values.reset === true,
    portOffset: int("--port-offset", str("port-offset"), 0, -65535, 65535),
    postgresPort: int("TOKO_PG_PORT", env.TOKO_PG_PORT, 5433, 1, 65535),
    postgresUrl,
    graceMs: int("--grace-ms", str("grace-ms"), 10_000, 0, 600_000),
    readyTimeoutMs: int("--ready-timeout-ms", str("ready-timeout-ms"), 60_000, 100, 3_600_000),
    restart: {
      ...defaultRestartPolicy,
      initialDelayMs: int("--backoff-ms", str("backoff-ms"), defaultRestartPolicy.initialDelayMs, 1, 60_000),
      maxFastCrashes: int(
        "--max-restarts",
        str("max-restarts"),
        defaultRestartPolicy.maxFastCrashes,
        0,
        1000,
      ),
    },
    color: isTTY && !env.NO_COLOR,
    devTsx: env.TOKO_DEV_TSX === "1" || env.TOKO_DEV_TSX === "true",
    baseEnv: env,
    startedAt: Number.isFinite(startedAt) && startedAt > 0 ? startedAt : Date.now(),
  };
}

/** The launcher's own environment, handed to the supervisor process it forks. */
export function launcherEnv(): Env {
  return process.env;
}
