import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { TEST_INTERNAL_SECRET } from "./service.ts";
import { startServiceProcess } from "./service-process.ts";

const fixture = join(import.meta.dirname, "fixtures", "ready-service");

describe("startServiceProcess", () => {
  it("waits for /readyz on free ports; stop() sends SIGTERM and returns exit code 0", async () => {
    const svc = await startServiceProcess(fixture, { TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET });
    try {
      assert.match(svc.grpcAddress, /^127\.0\.0\.1:\d+$/);
      assert.equal(svc.grpcAddress, `127.0.0.1:${svc.env.GRPC_PORT}`);
      assert.equal((await fetch(`${svc.opsUrl}/readyz`)).status, 200);
    } finally {
      assert.equal(await svc.stop(), 0);
    }
    await assert.rejects(fetch(`${svc.opsUrl}/readyz`));
    assert.equal(await svc.stop(), 0, "stopping again returns the same code");
  });

  it("kill() ends it at once (no graceful shutdown), and it can start again on the same ports", async () => {
    const first = await startServiceProcess(fixture, { TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET });
    await first.kill();
    await assert.rejects(fetch(`${first.opsUrl}/readyz`));
    const again = await startServiceProcess(fixture, first.env);
    assert.equal(again.opsUrl, first.opsUrl);
    assert.equal(await again.stop(), 0);
  });

  it("fails with the process's output when it exits before ready", async () => {
    await assert.rejects(
      startServiceProcess(fixture, { TOKO_INTERNAL_SECRET: TEST_INTERNAL_SECRET, FIXTURE_FAIL: "true" }),
      /exited \(1\) before ready:[\s\S]*fixture asked to fail/,
    );
    // No secret: the kit refuses to start, and the one-line cause is in the error.
    await assert.rejects(startServiceProcess(fixture, { TOKO_INTERNAL_SECRET: "" }), /TOKO_INTERNAL_SECRET/);
  });
});
