// Database creation on a real PostgreSQL, including names that are SQL keywords.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPool } from "@toko/kit";
import { testPostgresUrl } from "@toko/testing";
import { prepareDatabases } from "../src/databases.ts";
import type { ServiceSpec } from "../src/manifest.ts";
import type { Output } from "../src/output.ts";

const quiet: Output = { info: () => {}, error: () => {}, line: () => {}, setPrefixWidth: () => {} };

test("a service whose database name is a keyword (user) still gets its database, twice over", async () => {
  const url = await testPostgresUrl();
  const spec: ServiceSpec = {
    name: "user",
    dir: "/nonexistent/user",
    kind: "service",
    dependsOn: [],
    database: "user",
  };
  await prepareDatabases(url, [spec], "/nonexistent", quiet);
  await prepareDatabases(url, [spec], "/nonexistent", quiet);
  const admin = createPool({ url, max: 1 });
  try {
    const { rows } = await admin.query(
      "SELECT datname FROM pg_database WHERE datname IN ('user', 'bus') ORDER BY 1",
    );
    assert.deepEqual(
      rows.map((r) => r.datname),
      ["bus", "user"],
    );
    await admin.query('DROP DATABASE IF EXISTS "user" WITH (FORCE)');
  } finally {
    await admin.end();
  }
});
