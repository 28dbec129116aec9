// Runs tests with node's test runner and one PostgreSQL for the whole run (each test file makes
// its own database from a template). Usage: toko-test [dir|file ...]; with no arguments, the
// current package's src/ and test/, or every package when run from the repository root.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { startTestPostgres, TEST_POSTGRES_ENV } from "@toko/testing";
import { startScratch } from "./scratch.ts";

const repoRoot = resolve(import.meta.dirname, "..", "..", "..");
const skipDirs = new Set(["node_modules", "gen", ".data", ".git"]);

function findTests(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    out.push(path);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skipDirs.has(entry.name)) findTests(join(path, entry.name), out);
    } else if (entry.name.endsWith(".test.ts")) {
      out.push(join(path, entry.name));
    }
  }
}

function defaultRoots(): string[] {
  const cwd = process.cwd();
  if (resolve(cwd) !== repoRoot) return [join(cwd, "src"), join(cwd, "test")];
  const roots: string[] = [];
  for (const group of ["packages", "services", "apps", "tools"]) {
    const dir = join(repoRoot, group);
    if (!existsSync(dir)) continue;
    for (const pkg of readdirSync(dir)) roots.push(join(dir, pkg, "src"), join(dir, pkg, "test"));
  }
  return roots;
}

const args = process.argv.slice(2);
const files: string[] = [];
for (const root of args.length > 0 ? args.map((a) => resolve(a)) : defaultRoots()) findTests(root, files);
files.sort();
if (files.length === 0) {
  console.error("toko-test: no *.test.ts files found");
  process.exit(1);
}

// Every temp folder the run makes lands in per-run folders (TMPDIR, and tmpfs for databases), so
// what a test leaves behind is seen and named here — even with other runs on the machine.
const scratch = startScratch();

let stopPostgres: (() => Promise<void>) | undefined;
if (!process.env[TEST_POSTGRES_ENV]) {
  const started = Date.now();
  const server = await startTestPostgres();
  stopPostgres = server.stop;
  process.env[TEST_POSTGRES_ENV] = server.url;
  console.log(`toko-test: PostgreSQL for tests ready in ${Date.now() - started} ms`);
}

// Test files run side by side, each with several service processes, on few cores: a call can
// wait for a CPU longer than its production deadline. Every process of the run gets more time
// (tests assert outcomes, not latency; benchmarks measure that).
process.env.GRPC_DEADLINE_SCALE ??= "3";
const concurrency = process.env.TOKO_TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism()));
console.log(`toko-test: ${files.length} test files, ${concurrency} at a time`);
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-timeout=180000",
    "--test-reporter=spec",
    ...files.map((f) => relative(process.cwd(), f)),
  ],
  { stdio: "inherit", env: process.env },
);
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
let code = await new Promise<number>((done) => child.on("exit", (c, s) => done(c ?? (s ? 1 : 0))));
await stopPostgres?.();
const left = scratch.finish();
if (left.length > 0) {
  console.error(`toko-test: the run left ${left.length} temp folder(s) behind (removed now):`);
  for (const path of left) console.error(`  ${path}`);
  code ||= 1;
}
process.exit(code);
