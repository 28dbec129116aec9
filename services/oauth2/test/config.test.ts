import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError } from "@toko/kit";
import { loadOAuth2Config } from "../src/config.ts";

const base = { DATABASE_URL: "postgres://127.0.0.1:1/oauth2-config-test" };
const INTERNAL = "internal-secret-0123456789abcdef";
const KEK = "key-encryption-key-0123456789abcdef-xyz";

test("outside development the key-encryption key is required, even with an internal secret", () => {
  for (const env of [
    { ...base, TOKO_INTERNAL_SECRET: INTERNAL },
    { ...base, TOKO_INTERNAL_SECRET: INTERNAL, TOKO_ENV: "production" },
    // Empty values count as unset, so `FOO=` cannot sneak past either.
    { ...base, TOKO_INTERNAL_SECRET: INTERNAL, OAUTH2_KEY_ENCRYPTION_KEY: "" },
  ]) {
    assert.throws(
      () => loadOAuth2Config(env),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.issues.length === 1 &&
        e.issues[0]?.variable === "OAUTH2_KEY_ENCRYPTION_KEY" &&
        /required outside development/.test(e.message),
    );
  }
  assert.equal(
    loadOAuth2Config({ ...base, TOKO_INTERNAL_SECRET: INTERNAL, OAUTH2_KEY_ENCRYPTION_KEY: KEK }).rootSecret,
    KEK,
  );
});

test("in development it falls back to the internal secret; with neither the configuration is refused", () => {
  const dev = { ...base, TOKO_ENV: "development" };
  assert.equal(loadOAuth2Config({ ...dev, TOKO_INTERNAL_SECRET: INTERNAL }).rootSecret, INTERNAL);
  assert.equal(
    loadOAuth2Config({ ...dev, TOKO_INTERNAL_SECRET: INTERNAL, OAUTH2_KEY_ENCRYPTION_KEY: KEK }).rootSecret,
    KEK,
  );
  assert.throws(
    () => loadOAuth2Config({ ...dev, TOKO_ALLOW_UNSIGNED_PRINCIPALS: "true" }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.issues.length === 1 &&
      e.message.includes("OAUTH2_KEY_ENCRYPTION_KEY") &&
      e.message.includes("TOKO_INTERNAL_SECRET"),
  );
  assert.throws(
    () => loadOAuth2Config({ ...dev, TOKO_ENV: "staging", OAUTH2_KEY_ENCRYPTION_KEY: KEK }),
    ConfigError,
  );
});

test("the process exits 1 with one line naming the variable, before touching the database", async () => {
  const main = join(import.meta.dirname, "..", "src", "main.ts");
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    // The database URL points at a closed port: reaching it would fail with a different message.
    env: {
      PATH: process.env.PATH ?? "",
      ...base,
      LOG_LEVEL: "silent",
      TOKO_INTERNAL_SECRET: INTERNAL,
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
    /^oauth2: failed to start: oauth2: invalid configuration: OAUTH2_KEY_ENCRYPTION_KEY: is required outside development/,
  );
});
