// `npm run check:boundaries`: a service (or app) never imports another deployable's source.
// Deployables talk through generated contracts and events; shared code lives in packages/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { repoRoot as defaultRoot } from "./generate.ts";

// Tests point the check at a fixture tree.
const repoRoot = process.env.TOKO_REPO_ROOT ?? defaultRoot;

/** The entries of a top-level folder; a folder the repository does not have yet has none. */
function entriesOf(group: string): string[] {
  try {
    return readdirSync(join(repoRoot, group));
  } catch {
    return [];
  }
}

const deployableGroups = ["services", "apps"];
const deployables = new Map<string, string>(); // package name -> directory
for (const group of deployableGroups) {
  const dir = join(repoRoot, group);
  for (const name of entriesOf(group)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, name, "package.json"), "utf8")) as { name: string };
      deployables.set(pkg.name, join(dir, name));
    } catch {
      // not a package
    }
  }
}

const importPattern = /(?:import|export)\s[^"'`]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const violations: string[] = [];

function owner(path: string): string | undefined {
  for (const [name, dir] of deployables) if (path === dir || path.startsWith(dir + sep)) return name;
  return undefined;
}

// A service's domain layer is pure: its own files, node built-ins and the kit's error types.
const domainSegment = `${sep}src${sep}domain${sep}`;
function domainViolation(file: string, spec: string): string | undefined {
  const at = file.indexOf(domainSegment);
  // Unit tests beside the domain may use real adapters (e.g. the bundled password list).
  if (at < 0 || file.endsWith(".test.ts")) return undefined;
  if (spec.startsWith("node:") || spec === "@toko/kit/errors") return undefined;
  if (spec.startsWith(".")) {
    const domainDir = file.slice(0, at + domainSegment.length);
    return resolve(file, "..", spec).startsWith(domainDir) ? undefined : "reaches outside domain/";
  }
  return "domain code imports only @toko/kit/errors and node built-ins";
}

function scan(file: string, self: string): void {
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
    if (!spec) continue;
    const domainProblem = domainViolation(file, spec);
    if (domainProblem) violations.push(`${relative(repoRoot, file)} imports ${spec}: ${domainProblem}`);
    let target: string | undefined;
    if (spec.startsWith(".")) target = owner(resolve(file, "..", spec));
    else {
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (name && deployables.has(name)) target = name;
    }
    if (target && target !== self) {
      violations.push(`${relative(repoRoot, file)} imports ${spec} (source of ${target})`);
    }
  }
}

function walk(dir: string, self: string): void {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "gen") continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, self);
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry)) scan(p, self);
  }
}

for (const [name, dir] of deployables) walk(dir, name);
// Shared packages must not reach into deployables either.
for (const group of ["packages", "tools"]) {
  for (const entry of entriesOf(group)) walk(join(repoRoot, group, entry), `${group}/${entry}`);
}

if (violations.length > 0) {
  console.error(
    `check:boundaries: ${violations.length} boundary violation(s):\n  ${violations.join("\n  ")}`,
  );
  process.exit(1);
}
console.log(`check:boundaries: ok (${deployables.size} deployables)`);
