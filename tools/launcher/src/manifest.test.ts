import assert from "node:assert/strict";
import { test } from "node:test";
import { parseManifest, withPortOffset } from "./manifest.ts";

test("a service manifest gets its database from its name unless given", () => {
  const spec = parseManifest("order-history", "/r/services/order-history", "p.json", {
    kind: "service",
    grpcPort: 50070,
    opsPort: 9470,
  });
  assert.equal(spec.database, "order_history");
  assert.deepEqual(spec.dependsOn, []);
  const gw = parseManifest("gateway", "/r/apps/gateway", "p.json", {
    kind: "gateway",
    httpPort: 8080,
    dependsOn: ["a"],
  });
  assert.equal(gw.database, undefined);
});

test("bad manifests name the file and the field", () => {
  assert.throws(() => parseManifest("x", "/d", "services/x/package.json", { kind: "service", opsPort: 1 }), {
    message: 'services/x/package.json: "toko.grpcPort" must be a port number (1-65535), got undefined',
  });
  assert.throws(
    () => parseManifest("x", "/d", "p.json", { kind: "worker" }),
    /"toko.kind" must be "service" or "gateway"/,
  );
  assert.throws(
    () => parseManifest("x", "/d", "p.json", { kind: "gateway", httpPort: 80, dependsOn: "a" }),
    /dependsOn/,
  );
  assert.throws(
    () =>
      parseManifest("x", "/d", "p.json", { kind: "service", grpcPort: 1, opsPort: 2, database: "Bad-Name" }),
    /"toko.database" must match/,
  );
});

test("a port offset moves every port and refuses to leave the valid range", () => {
  const spec = parseManifest("a", "/d", "p.json", { kind: "service", grpcPort: 7061, opsPort: 9461 });
  assert.deepEqual([withPortOffset(spec, 100).grpcPort, withPortOffset(spec, 100).opsPort], [7161, 9561]);
  assert.throws(() => withPortOffset(spec, 60_000), /out of range/);
  assert.throws(() => withPortOffset(spec, -7_100), /out of range/);
});
