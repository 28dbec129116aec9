import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";

const script = join(import.meta.dirname, "..", "src", "check-boundaries.ts");

// Every scratch repository is removed when the file ends, whatever its tests did.
const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function repoWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "toko-boundaries-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string) {
  return spawnSync(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, TOKO_REPO_ROOT: root },
    encoding: "utf8",
  });
}

const base = {
  "services/a/package.json": JSON.stringify({ name: "@toko/a" }),
  "services/b/package.json": JSON.stringify({ name: "@toko/b" }),
  "packages/kit/src/index.ts": "export const x = 1;\n",
  "tools/launcher/src/main.ts": "export {};\n",
};

describe("check:boundaries", () => {
  it("passes when services only use shared packages and their own files", () => {
    const root = repoWith({
      ...base,
      "services/a/src/main.ts": 'import { x } from "@toko/kit";\nimport { y } from "./y.ts";\n',
    });
    const result = check(root);
    assert.equal(result.status, 0, result.stderr);
  });

  it("fails on a relative import of another service's source", () => {
    const root = repoWith({ ...base, "services/a/src/main.ts": 'import { y } from "../../b/src/y.ts";\n' });
    const result = check(root);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /services\/a\/src\/main\.ts imports \.\.\/\.\.\/b\/src\/y\.ts \(source of @toko\/b\)/,
    );
  });

  it("fails on a package import of another service, including dynamic imports", () => {
    const root = repoWith({ ...base, "services/a/test/x.test.ts": 'await import("@toko/b/src/y.ts");\n' });
    const result = check(root);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /imports @toko\/b\/src\/y\.ts/);
  });

  it("keeps a service's domain layer pure", () => {
    const pure = repoWith({
      ...base,
      "services/a/src/domain/order.ts":
        'import { errors } from "@toko/kit/errors";\nimport { line } from "./line.ts";\nimport { randomUUID } from "node:crypto";\n',
    });
    assert.equal(check(pure).status, 0, check(pure).stderr);
    for (const [spec, reason] of [
      ["@toko/kit", /domain code imports only/],
      ["kysely", /domain code imports only/],
      ["@toko/contracts/toko/a/v1/a", /domain code imports only/],
      ["../infrastructure/pg-order-repository.ts", /reaches outside domain/],
    ] as const) {
      const root = repoWith({ ...base, "services/a/src/domain/order.ts": `import { x } from "${spec}";\n` });
      const result = check(root);
      assert.equal(result.status, 1, spec);
      assert.match(result.stderr, reason);
    }
  });

  it("fails when a shared package reaches into a service", () => {
    const root = repoWith({
      ...base,
      "packages/kit/src/bad.ts": 'export { y } from "../../../services/a/src/y.ts";\n',
    });
    assert.equal(check(root).status, 1);
  });
});
