import { realpathSync } from "node:fs";
import { relative } from "node:path";
import { type LauncherConfig, repoRoot } from "./config.ts";
import { resetDataDir } from "./data-dir.ts";
import { prepareDatabases } from "./databases.ts";
import {
  type DemoAccounts,
  demoAccountLines,
  demoEnabled,
  demoSeedEnv,
  ensureDemoAccounts,
} from "./demo-accounts.ts";
import { discoverServices } from "./discovery.ts";
import { launcherMode, type RunContext, serviceEnv } from "./environment.ts";
import { LauncherError, portsOf, readinessUrl, type ServiceSpec, withPortOffset } from "./manifest.ts";
import { ensureNotificationKeys } from "./notification-keys.ts";
import type { Output } from "./output.ts";
import { checkPorts, type PlannedPort } from "./ports.ts";
import { connectExternal, type PostgresServer, startEmbedded } from "./postgres.ts";
import { waitUntilReady } from "./readiness.ts";
import { ensureInternalSecret, ensureKeyEncryptionKey } from "./secret.ts";
import { runSeed } from "./seed.ts";
import { ensureServiceBuild } from "./service-build.ts";
import { ServiceProcess } from "./service-process.ts";
import type { Runtime } from "./spawn-node.ts";
import { printSummary } from "./summary.ts";
import { startOrder } from "./topology.ts";
import { ensureWebBuild, webAppDir } from "./web-build.ts";

/**
 * Discovers, orders and checks everything that can be checked before a process starts.
 * `migrate` starts no service, so it checks only the PostgreSQL port.
 */
export async function plan(
  config: LauncherConfig,
  options: { servicePorts: boolean },
): Promise<ServiceSpec[]> {
  const specs = startOrder(discoverServices(config.root).map((s) => withPortOffset(s, config.portOffset)));
  const ports: PlannedPort[] = [];
  if (!config.postgresUrl) {
    ports.push({
      port: config.postgresPort,
      label: "PostgreSQL",
      hint: "stop what uses it or set TOKO_PG_PORT",
    });
  }
  for (const s of options.servicePorts ? specs : []) {
    for (const p of portsOf(s))
      ports.push({ ...p, hint: "stop what uses it or start with --port-offset <n>" });
  }
  await checkPorts(ports);
  return specs;
}

/** Starts the embedded PostgreSQL (or connects to TOKO_POSTGRES_URL), resetting data first if asked. */
export async function startPostgres(config: LauncherConfig, output: Output): Promise<PostgresServer> {
  if (config.reset) {
    resetDataDir(config.dataDir);
    output.info(`--reset: wiped ${config.dataDir}`);
  }
  const started = Date.now();
  const pg = config.postgresUrl
    ? await connectExternal(config.postgresUrl)
    : await startEmbedded(config.dataDir, config.postgresPort);
  output.info(
    `PostgreSQL ${pg.embedded ? "(embedded) " : ""}ready at ${pg.displayUrl} in ${Date.now() - started} ms`,
  );
  return pg;
}

/**
 * `npm start`: PostgreSQL, databases, then every service in dependency order, each once its
 * dependencies are ready; supervises until `stop` is aborted or a service gives up, then stops
 * services in reverse order and PostgreSQL last. Returns the exit code.
 */
export async function runLauncher(
  config: LauncherConfig,
  output: Output,
  stop: AbortSignal,
): Promise<number> {
  const specs = await plan(config, { servicePorts: true });
  output.setPrefixWidth(Math.max(0, ...specs.map((s) => s.name.length + (s.seed ? 5 : 0))));
  // The web app builds (when stale) while PostgreSQL starts; only the gateway waits for it.
  const webDir = webAppDir(config.root);
  const webBuild = webDir
    ? ensureWebBuild(webDir, output, stop).catch((error: unknown) => {
        output.error(`web: not built (${(error as Error).message})`);
        return undefined;
      })
    : Promise.resolve(undefined);
  // So do the services (from the launcher's repository; a deployable outside it runs through tsx).
  const serviceBuild: Promise<ReadonlySet<string>> = config.devTsx
    ? Promise.resolve(new Set())
    : ensureServiceBuild(repoRoot, output, stop).catch((error: unknown) => {
        output.error(`services: not built (${(error as Error).message}); running them through tsx`);
        return new Set();
      });
  if (config.devTsx) output.info("TOKO_DEV_TSX=1: the services run their TypeScript through tsx");
  const runtimeOf = (built: ReadonlySet<string>, dir: string): Runtime =>
    built.has(realpathSync(dir)) ? "build" : "tsx";
  const pg = await startPostgres(config, output);
  const processes: ServiceProcess[] = [];
  const killAll = () => {
    for (const p of processes) p.killNow();
  };
  process.once("exit", killAll);
  let failure: string | undefined;
  const fail = new AbortController();
  const startup = AbortSignal.any([stop, fail.signal]);
  try {
    await prepareDatabases(pg.adminUrl, specs, config.root, output);
    // The key-encryption key first: a data directory with an internal secret but no key is
    // one from before the key was its own secret (see ensureKeyEncryptionKey).
    const keyEncryptionKey = ensureKeyEncryptionKey(config.dataDir);
    const secret = ensureInternalSecret(config.dataDir);
    const gateway = specs.find((s) => s.kind === "gateway");
    const ctx: RunContext = {
      adminUrl: pg.adminUrl,
      internalSecret: secret,
      keyEncryptionKey,
      notificationKeys: ensureNotificationKeys(config.dataDir),
      publicOrigin: `http://localhost:${gateway?.httpPort ?? 8080}`,
      baseEnv: config.baseEnv,
    };
    // Development only: the demo accounts' passwords, generated once into the data directory.
    const demo: DemoAccounts | undefined = demoEnabled(launcherMode(config.baseEnv), specs)
      ? ensureDemoAccounts(config.dataDir, config.baseEnv)
      : undefined;
    const ready = new Map<string, Promise<void>>();
    for (const spec of specs) {
      const env = serviceEnv(spec, specs, ctx);
      const needsWeb = spec.kind === "gateway" && webDir !== undefined;
      const proc = new ServiceProcess(spec, env, output, config.restart, (message) => {
        failure ??= message;
        fail.abort();
      });
      processes.push(proc);
      const started = (async () => {
        await Promise.all(spec.dependsOn.map((d) => ready.get(d)));
        proc.runtime = runtimeOf(await serviceBuild, spec.dir);
        startup.throwIfAborted();
        if (spec.seed !== undefined) {
          const seedEnv = demo ? { ...env, ...demoSeedEnv(spec, demo) } : env;
          await runSeed({ ...spec, seed: spec.seed }, seedEnv, output, startup, proc.runtime);
        }
        const webRoot = needsWeb ? await webBuild : undefined;
        if (webRoot) env.TOKO_WEB_ROOT ??= webRoot;
        startup.throwIfAborted();
        const t = Date.now();
        proc.start();
        await waitUntilReady(readinessUrl(spec), {
          timeoutMs: config.readyTimeoutMs,
          signal: startup,
          what: spec.name,
        });
        output.info(`${spec.name}: ready in ${Date.now() - t} ms`);
      })();
      started.catch(() => {});
      ready.set(spec.name, started);
    }
    try {
      await Promise.all(ready.values());
    } catch (error) {
      if (!startup.aborted) failure ??= (error as Error).message;
      fail.abort();
      await Promise.allSettled(ready.values());
    }
    if (!startup.aborted) {
      const rel = relative(process.cwd(), config.dataDir);
      const shownDataDir = rel && !rel.startsWith("..") ? rel : config.dataDir;
      const demoLines = demo ? demoAccountLines(demo, shownDataDir) : [];
      printSummary(output, specs, pg, config, shownDataDir, demoLines);
      await new Promise<void>((resolve) =>
        startup.addEventListener("abort", () => resolve(), { once: true }),
      );
    }
  } catch (error) {
    if (!(error instanceof LauncherError)) throw error;
    failure ??= error.message;
  } finally {
    if (failure) output.error(failure);
    output.info(stop.aborted ? "stopping…" : "stopping everything…");
    for (const proc of [...processes].reverse()) await proc.stop(config.graceMs);
    await pg.stop();
    process.removeListener("exit", killAll);
    output.info(pg.embedded ? "stopped all services and PostgreSQL" : "stopped all services");
  }
  return failure ? 1 : 0;
}
