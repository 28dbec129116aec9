import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { ConfigError, env, loadConfig, serviceEnvShape } from "./config.ts";

const schema = z.object({ ...serviceEnvShape, DATABASE_URL: env.postgresUrl(), PEER_ADDR: env.address() });

describe("loadConfig", () => {
  it("parses and applies defaults", () => {
    const config = loadConfig("svc", schema, {
      DATABASE_URL: "postgres://u@localhost/db",
      PEER_ADDR: "127.0.0.1:7051",
      GRPC_PORT: "7061",
    });
    assert.equal(config.GRPC_PORT, 7061);
    assert.equal(config.OPS_PORT, 0);
    assert.equal(config.LOG_LEVEL, "info");
    assert.equal(config.TRACE_EXPORTER, "none");
  });

  it("names every missing or invalid variable in one error", () => {
    assert.throws(
      () => loadConfig("svc", schema, { PEER_ADDR: "not an address", GRPC_PORT: "70000" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.issues.map((i) => i.variable).sort(), [
          "DATABASE_URL",
          "GRPC_PORT",
          "PEER_ADDR",
        ]);
        assert.match(error.message, /^svc: invalid configuration: .*DATABASE_URL: is required/);
        assert.match(error.message, /PEER_ADDR: must be host:port/);
        return true;
      },
    );
  });

  it("takes the pool settings as whole numbers in range, refusing others", () => {
    const base = { DATABASE_URL: "postgres://u@localhost/db", PEER_ADDR: "a:1" };
    const config = loadConfig("svc", schema, {
      ...base,
      DATABASE_POOL_SIZE: "5",
      DATABASE_IDLE_TIMEOUT_MS: "5000",
    });
    assert.equal(config.DATABASE_POOL_SIZE, 5);
    assert.equal(config.DATABASE_IDLE_TIMEOUT_MS, 5000);
    assert.equal(
      loadConfig("svc", schema, base).DATABASE_POOL_SIZE,
      undefined,
      "unset: the service's default",
    );
    assert.throws(
      () => loadConfig("svc", schema, { ...base, DATABASE_POOL_SIZE: "1", DATABASE_IDLE_TIMEOUT_MS: "soon" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.issues.map((i) => i.variable).sort(), [
          "DATABASE_IDLE_TIMEOUT_MS",
          "DATABASE_POOL_SIZE",
        ]);
        return true;
      },
    );
  });

  it("treats an empty variable as unset", () => {
    assert.throws(
      () => loadConfig("svc", schema, { DATABASE_URL: "", PEER_ADDR: "a:1" }),
      /DATABASE_URL: is required/,
    );
  });

  it("parses flags", () => {
    const s = z.object({ ON: env.flag(false), OFF: env.flag(true) });
    assert.deepEqual(loadConfig("svc", s, { ON: "true", OFF: "0" }), { ON: true, OFF: false });
    assert.throws(() => loadConfig("svc", s, { ON: "yes" }), /ON:/);
  });
});
