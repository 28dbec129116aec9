import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError } from "@toko/kit";
import { loadOAuth2Config } from "../src/config.ts";

const base = { DATABASE_URL: "postgres://127.0.0.1:1/oauth2-config-test" };
const INTERNAL = "internal-secret-0123456789abcdef";
const KEK = "key-encryption-key-0123456789abcdef-xyz";

test("without OAUTH2_KEY_ENCRYPTION_KEY or TOKO_INTERNAL_SECRET the configuration is refused", () => {
  assert.throws(
    () => loadOAuth2Config({ ...base, TOKO_ALLOW_UNSIGNED_PRINCIPALS: "true" }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.issues.length === 1 &&
      e.message.includes("OAUTH2_KEY_ENCRYPTION_KEY") &&
      e.message.includes("TOKO_INTERNAL_SECRET"),
  );
  // Empty values count as unset, so `FOO=` cannot sneak past either.
  assert.throws(
    () => loadOAuth2Config({ ...base, OAUTH2_KEY_ENCRYPTION_KEY: "", TOKO_INTERNAL_SECRET: "" }),
    ConfigError,
  );
});

test("the root secret is OAUTH2_KEY_ENCRYPTION_KEY, else TOKO_INTERNAL_SECRET", () => {
  assert.equal(loadOAuth2Config({ ...base, TOKO_INTERNAL_SECRET: INTERNAL }).rootSecret, INTERNAL);
  assert.equal(
    loadOAuth2Config({ ...base, TOKO_INTERNAL_SECRET: INTERNAL, OAUTH2_KEY_ENCRYPTION_KEY: KEK }).rootSecret,
    KEK,
  );
  assert.equal(
    loadOAuth2Config({ ...base, TOKO_ALLOW_UNSIGNED_PRINCIPALS: "true", OAUTH2_KEY_ENCRYPTION_KEY: KEK })
      .rootSecret,
    KEK,
  );
});

test("the process exits 1 with one line naming both variables, before touching the database", async () => {
  const main = join(import.meta.dirname, "..", "src", "main.ts");
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    // The database URL points at a closed port: reaching it would fail with a different message.
    env: {
      PATH: process.env.PATH ?? "",
      ...base,
      LOG_LEVEL: "silent",
      TOKO_ALLOW_UNSIGNED_PRINCIPALS: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal(code, 1, stderr);
  // oidc-provider may warn about the Node version on import; that line is not ours.
  const lines = stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("oidc-provider WARNING"));
  assert.equal(lines.length, 1, stderr);
  assert.match(
    lines[0] ?? "",
    /^oauth2: failed to start: oauth2: invalid configuration: OAUTH2_KEY_ENCRYPTION_KEY: .*TOKO_INTERNAL_SECRET/,
  );
});
