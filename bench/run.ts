// `npm run bench [name ...]`: runs every bench/*.bench.ts (or those named), one after another,
// prints a table per bench and writes bench/results/<name>.json.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

/** What a bench module's default export resolves to. */
export interface BenchResult {
  name: string;
  /** One row per measured variant; every row should have the same keys. */
  rows: Record<string, string | number>[];
  /** Free-form lines: ratios, goals, caveats. */
  notes: string[];
}

function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return "(no rows)";
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = [keys, ...rows.map((r) => keys.map((k) => String(r[k] ?? "")))];
  const widths = keys.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [
    line(cells[0] ?? []),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.slice(1).map(line),
  ].join("\n");
}

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".bench.ts")))
  .sort();
if (files.length === 0) {
  console.error(`bench: nothing to run${wanted.length ? ` named ${wanted.join(", ")}` : ""}`);
  process.exit(1);
}
mkdirSync(join(dir, "results"), { recursive: true });
let failed = false;
for (const file of files) {
  const name = basename(file, ".bench.ts");
  console.log(`\n== ${name}`);
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
      default: () => Promise<BenchResult>;
    };
    const result = await mod.default();
    console.log(table(result.rows));
    for (const note of result.notes ?? []) console.log(`  ${note}`);
    const record = { ...result, file, at: new Date().toISOString(), node: process.version };
    writeFileSync(join(dir, "results", `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
