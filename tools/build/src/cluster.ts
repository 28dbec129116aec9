import { join, relative } from "node:path";
import { databaseUrl } from "@toko/kit";
import type { ServiceSpec } from "@toko/launcher";
import { connect } from "nats";
import pg from "pg";
import { type Balancer, startHttpBalancer, startTcpBalancer } from "./balancers.ts";
import { type BuiltProcess, startBuiltProcess } from "./processes.ts";
import {
  deployableSpecs,
  generateProductionSecrets,
  type ProductionSecrets,
  productionEnv,
} from "./stack.ts";
import { repoRoot } from "./workspaces.ts";

/** One replica of a deployable. */
export interface Replica {
  spec: ServiceSpec;
  index: number;
  /** Its own ports (the spec's are the balancer's). */
  ports: { grpc?: number; ops?: number; http?: number };
  env: Record<string, string>;
  process?: BuiltProcess;
}

export interface ClusterOptions {
  /** A production tree (stageProduction) holding every deployable. */
  tree: string;
  replicas: number;
  /** Superuser URL of the PostgreSQL server the databases are created on. */
  adminUrl: string;
  natsUrl: string;
  redisUrl?: string;
  /** Prefix of this run's databases, NATS stream and subjects (letters, digits, _). */
  namespace: string;
  freePort(): Promise<number>;
  readyTimeoutMs?: number;
}

/**
 * Every service and the gateway, `replicas` times each, from a production build with the
 * production configuration, as a cluster runs them: each service's address is a round-robin TCP
 * balancer over its replicas (a Service), the gateways sit behind an HTTP load balancer (the
 * ingress) whose origin is the public origin, events go through NATS JetStream, the gateways
 * share Redis, and every service's database lives on one PostgreSQL server.
 */
export class Cluster {
  readonly specs: ServiceSpec[];
  readonly replicas: Replica[] = [];
  readonly secrets: ProductionSecrets = generateProductionSecrets();
  private readonly balancers: Balancer[] = [];
  origin = "";
  ingress?: Balancer;

  constructor(private readonly options: ClusterOptions) {
    this.specs = deployableSpecs(repoRoot).map((s) => ({
      ...s,
      dir: join(options.tree, relative(repoRoot, s.dir)),
    }));
  }

  private get prefix(): string {
    return `${this.options.namespace}_`;
  }

  /** Creates the databases, the balancers and every replica; resolves once all are ready. */
  async start(): Promise<void> {
    const admin = new pg.Client({ connectionString: this.options.adminUrl });
    await admin.connect();
    try {
      for (const db of ["bus", ...this.specs.flatMap((s) => (s.database ? [s.database] : []))]) {
        await admin.query(`CREATE DATABASE "${this.prefix}${db}"`);
      }
    } finally {
      await admin.end();
    }
    const port = () => this.options.freePort();
    // Replica ports first; the spec's ports become the balancers'.
    for (const spec of this.specs) {
      for (let index = 0; index < this.options.replicas; index++) {
        this.replicas.push({
          spec,
          index,
          ports: {
            grpc: spec.grpcPort === undefined ? undefined : await port(),
            ops: spec.opsPort === undefined ? undefined : await port(),
            http: spec.httpPort === undefined ? undefined : await port(),
          },
          env: {},
        });
      }
    }
    for (const spec of this.specs) {
      const mine = this.replicas.filter((r) => r.spec === spec);
      if (spec.kind === "gateway") {
        this.ingress = await startHttpBalancer(mine.map((r) => r.ports.http as number));
        this.balancers.push(this.ingress);
        spec.httpPort = this.ingress.port;
        this.origin = `http://127.0.0.1:${this.ingress.port}`;
        continue;
      }
      for (const key of ["grpc", "http"] as const) {
        const field = key === "grpc" ? "grpcPort" : "httpPort";
        if (spec[field] === undefined) continue;
        const balancer = await startTcpBalancer(mine.map((r) => r.ports[key] as number));
        this.balancers.push(balancer);
        spec[field] = balancer.port;
      }
    }
    const bus = {
      EVENT_BUS: "nats",
      NATS_URL: this.options.natsUrl,
      NATS_STREAM: `${this.options.namespace}_EVENTS`,
      NATS_SUBJECT_PREFIX: `${this.options.namespace}.events`,
    };
    for (const r of this.replicas) {
      const env = productionEnv(r.spec, this.specs, {
        adminUrl: this.options.adminUrl,
        databasePrefix: this.prefix,
        secrets: this.secrets,
        publicOrigin: this.origin,
        extra: {
          ...bus,
          // Nothing is mailed in this run; outside development notification needs a server.
          SMTP_URL: "smtp://127.0.0.1:9",
          // Two replicas of eleven services share one server (max_connections 100 by default).
          DATABASE_POOL_SIZE: "4",
          ...(this.options.redisUrl ? { TOKO_REDIS_URL: this.options.redisUrl } : {}),
          // The ingress is the one proxy whose X-Forwarded-For the gateways believe.
          TOKO_TRUSTED_PROXIES: "127.0.0.1",
        },
      });
      if (r.ports.grpc !== undefined) env.GRPC_PORT = String(r.ports.grpc);
      if (r.ports.ops !== undefined) env.OPS_PORT = String(r.ports.ops);
      if (r.ports.http !== undefined) {
        env.HTTP_PORT = String(r.ports.http);
        if (r.spec.kind === "gateway") env.GATEWAY_PORT = String(r.ports.http);
      }
      r.env = env;
    }
    // Each deployable starts once a replica of everything it depends on is ready.
    const ready = new Map<string, Promise<unknown>>();
    for (const spec of this.specs) {
      const deps = spec.dependsOn.map((d) => ready.get(d));
      const mine = this.replicas.filter((r) => r.spec === spec);
      ready.set(
        spec.name,
        Promise.all(deps).then(() => Promise.all(mine.map((r) => this.startReplica(r)))),
      );
    }
    await Promise.all(ready.values());
  }

  /** Starts (or restarts) one replica and waits until it is ready. */
  async startReplica(r: Replica): Promise<BuiltProcess> {
    const port = r.ports.ops ?? r.ports.http;
    r.process = await startBuiltProcess({
      name: `${r.spec.name}-${r.index}`,
      dir: r.spec.dir,
      env: r.env,
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      readyTimeoutMs: this.options.readyTimeoutMs ?? 240_000,
    });
    return r.process;
  }

  /** Publicly reachable replicas of one deployable. */
  replicasOf(name: string): Replica[] {
    return this.replicas.filter((r) => r.spec.name === name);
  }

  databaseUrl(database: string): string {
    return databaseUrl(this.options.adminUrl, `${this.prefix}${database}`);
  }

  /** Stops every replica (SIGTERM), the balancers, then drops the databases and the NATS stream. */
  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.process?.stop()));
    await Promise.all(this.balancers.map((b) => b.close()));
    const nc = await connect({ servers: this.options.natsUrl }).catch(() => undefined);
    if (nc) {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(`${this.options.namespace}_EVENTS`).catch(() => undefined);
      await nc.close();
    }
    const admin = new pg.Client({ connectionString: this.options.adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        [`${this.prefix}%`],
      );
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
