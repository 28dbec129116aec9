// `npm run check:proto`: buf lint, buf breaking against main, and generated code is current.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buf, generatedDirs, generateInto, listFiles, repoRoot, withTempDir } from "./generate.ts";

let failed = false;
const fail = (message: string): void => {
  console.error(`check:proto: ${message}`);
  failed = true;
};

function run(label: string, fn: () => void): void {
  try {
    fn();
    console.log(`check:proto: ${label} ok`);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    fail(`${label} failed\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

run("buf lint", () => buf(["lint"]));

// Compare against main's contracts when main has any (a repository's first commit has none to break).
function mainHasProto(): boolean {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", "main:proto"], {
      cwd: repoRoot,
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}
if (mainHasProto()) {
  run("buf breaking against main", () => buf(["breaking", "--against", ".git#branch=main"]));
} else {
  console.log("check:proto: buf breaking skipped: main has no proto/ yet");
}

run("generated code is current", () =>
  withTempDir((tmp) => {
    generateInto(tmp);
    const stale: string[] = [];
    for (const dir of generatedDirs) {
      const fresh = existsSync(join(tmp, dir)) ? listFiles(join(tmp, dir)) : [];
      const committed = existsSync(join(repoRoot, dir)) ? listFiles(join(repoRoot, dir)) : [];
      for (const file of new Set([...fresh, ...committed])) {
        const a = join(tmp, dir, file);
        const b = join(repoRoot, dir, file);
        if (!existsSync(a) || !existsSync(b) || readFileSync(a, "utf8") !== readFileSync(b, "utf8")) {
          stale.push(join(dir, file));
        }
      }
    }
    if (stale.length > 0) throw new Error(`run \`npm run gen\`; out of date:\n  ${stale.join("\n  ")}`);
  }),
);

if (failed) process.exit(1);
