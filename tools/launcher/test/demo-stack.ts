// The launcher against the real user, product and inventory services (a root of symlinks to
// them) for the demo marketplace tests; embedded PostgreSQL on tmpfs, free ports.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { InventoryServiceClient } from "@toko/contracts/toko/inventory/v1/inventory";
import { ProductServiceClient } from "@toko/contracts/toko/product/v1/product";
import { UserServiceClient } from "@toko/contracts/toko/user/v1/user";
import { createClient } from "@toko/kit";
import { freeOffset, freePort, makeTempDir, removeTempDir } from "@toko/testing";
import pg from "pg";
import { type Launched, launch, launcherDir, tempDataDir } from "./helpers.ts";

const repo = resolve(launcherDir, "..", "..");
const SERVICES = ["user", "product", "inventory"];
// user 7051/9451, product 7053/9453, inventory 7054/9454
const PORTS = [7051, 9451, 7053, 9453, 7054, 9454];

export type Snapshot = Awaited<ReturnType<DemoStack["snapshot"]>>;

/** One data directory, started and stopped as often as a test needs. */
export class DemoStack {
  readonly data = tempDataDir();
  private readonly root = makeTempDir("launcher-demo-root");
  private pgPort = 0;
  private offset = 0;
  run: Launched | undefined;

  async setup(): Promise<void> {
    mkdirSync(join(this.root, "services"));
    for (const s of SERVICES) symlinkSync(join(repo, "services", s), join(this.root, "services", s));
    this.pgPort = await freePort();
    this.offset = await freeOffset(PORTS);
  }

  async teardown(): Promise<void> {
    await this.stop();
    this.data.remove();
    removeTempDir(this.root);
  }

  /** `npm start` on this stack's data directory; resolves once everything is ready. */
  async start(env: Record<string, string> = {}): Promise<string> {
    assert.equal(this.run, undefined, "the previous run was stopped");
    this.run = launch(
      "main",
      ["--root", this.root, "--data-dir", this.data.dir, `--port-offset=${this.offset}`],
      {
        TOKO_PG_PORT: String(this.pgPort),
        SEED_PRODUCTS: "90", // three shops
        TOKO_ENV: "",
        ...env,
      },
    );
    await this.run.waitFor(/press Ctrl-C to stop/);
    return this.run.output();
  }

  readonly stop = async (): Promise<void> => {
    const run = this.run;
    if (!run) return;
    if (run.child.exitCode === null && run.child.signalCode === null) {
      process.kill(run.child.pid ?? 0, "SIGTERM");
      await run.exit;
    }
    this.run = undefined;
  };

  async query<T extends pg.QueryResultRow>(database: string, sql: string): Promise<T[]> {
    const client = new pg.Client({
      connectionString: `postgres://postgres:toko@127.0.0.1:${this.pgPort}/${database}`,
    });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  /** Every row the seeds write, and when accounts last changed: what a second start must not change. */
  async snapshot() {
    const one = async <T extends pg.QueryResultRow>(database: string, sql: string) =>
      (await this.query<T>(database, sql))[0];
    return {
      users: await one<{ n: number; changed: string }>(
        "user",
        "SELECT count(*)::int AS n, max(updated_at)::text AS changed FROM users",
      ),
      shops: await one<{ n: number; owners: string }>(
        "product",
        "SELECT count(*)::int AS n, string_agg(owner_id, ',' ORDER BY id) AS owners FROM shops",
      ),
      variants: (await one<{ n: number }>("product", "SELECT count(*)::int AS n FROM variants"))?.n,
      warehouses: (await one<{ n: number }>("inventory", "SELECT count(*)::int AS n FROM warehouses"))?.n,
      ledger: await one<{ n: number; units: string }>(
        "inventory",
        "SELECT count(*)::int AS n, coalesce(sum(on_hand_delta), 0)::text AS units FROM stock_ledger",
      ),
    };
  }

  /** gRPC clients of the three services, signing with this run's internal secret. */
  clients() {
    const internalSecret = readFileSync(join(this.data.dir, "internal-secret"), "utf8").trim();
    const at = (port: number) => `127.0.0.1:${port + this.offset}`;
    const user = createClient(UserServiceClient, at(7051), { internalSecret });
    const product = createClient(ProductServiceClient, at(7053), { internalSecret });
    const inventory = createClient(InventoryServiceClient, at(7054), { internalSecret });
    return {
      user,
      product,
      inventory,
      close() {
        user.close();
        product.close();
        inventory.close();
      },
    };
  }
}

/** The buyer, seller and admin lines the launcher printed, by role. */
export function printedAccounts(output: string): Map<string, { email: string; password: string }> {
  const accounts = new Map<string, { email: string; password: string }>();
  for (const m of output.matchAll(/^launcher\s+\|\s+(buyer|seller|admin)\s+(\S+@\S+)\s+(\S+)/gm)) {
    accounts.set(m[1] ?? "", { email: m[2] ?? "", password: m[3] ?? "" });
  }
  return accounts;
}
