// `npm run gen`: regenerates the TypeScript for every proto, replacing what was there.
import { cpSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { generatedDirs, generateInto, repoRoot, withTempDir } from "./generate.ts";

withTempDir((tmp) => {
  const files = generateInto(tmp);
  for (const dir of generatedDirs) {
    rmSync(join(repoRoot, dir), { recursive: true, force: true });
    if (existsSync(join(tmp, dir))) cpSync(join(tmp, dir), join(repoRoot, dir), { recursive: true });
  }
  console.log(`generated ${files.length} files into ${generatedDirs.join(", ")}`);
});
