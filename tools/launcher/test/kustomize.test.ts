import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { makeTempDir } from "@toko/testing";
import { parseAllDocuments } from "yaml";
import { discoverServices } from "../src/discovery.ts";
import { writeKustomizeBase } from "../src/kustomize.ts";

const root = resolve(import.meta.dirname, "..", "..", "..");
const committed = join(root, "deploy", "kustomize", "base");
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;

describe("cluster manifests", () => {
  it("deploy/kustomize/base is current (run `npm run deploy:manifests`)", () => {
    const fresh = makeTempDir("kustomize");
    const files = writeKustomizeBase(root, fresh);
    assert.deepEqual(readdirSync(committed).sort(), [...files].sort());
    for (const file of files) {
      assert.equal(
        readFileSync(join(committed, file), "utf8"),
        readFileSync(join(fresh, file), "utf8"),
        file,
      );
    }
  });

  it("the production overlay renders, with a Deployment and a Service per deployable wired to each other", {
    skip: hasKubectl ? false : "kubectl is not installed",
  }, () => {
    const out = spawnSync(
      "kubectl",
      ["kustomize", join(root, "deploy", "kustomize", "overlays", "production")],
      {
        encoding: "utf8",
      },
    );
    assert.equal(out.status, 0, out.stderr);
    const docs = parseAllDocuments(out.stdout).map((d) => d.toJS()) as {
      kind: string;
      metadata: { name: string; namespace?: string };
      spec?: Record<string, unknown>;
    }[];
    const names = discoverServices(root).map((s) => s.name);
    const services = new Map(docs.filter((d) => d.kind === "Service").map((d) => [d.metadata.name, d]));
    for (const name of names) {
      const deployment = docs.find((d) => d.kind === "Deployment" && d.metadata.name === name);
      assert.ok(deployment, `Deployment ${name}`);
      assert.equal(deployment.metadata.namespace, "toko");
      assert.ok(services.has(name), `Service ${name}`);
      const container = (deployment.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
        .template.spec.containers[0] as {
        image: string;
        env: { name: string; value?: string }[];
        readinessProbe: { httpGet: { path: string } };
      };
      assert.match(container.image, new RegExp(`^toko/${name}:0\\.1\\.0$`));
      assert.equal(container.readinessProbe.httpGet.path, "/readyz");
      // Every peer address points at a Service that exists and exposes that port.
      for (const e of container.env.filter((v) => /^TOKO_[A-Z0-9_]+_ADDR$/.test(v.name))) {
        const [host, port] = (e.value ?? "").split(":");
        const target = services.get(host ?? "") as { spec: { ports: { port: number }[] } } | undefined;
        assert.ok(target, `${name}: ${e.name} names a missing Service ${host}`);
        assert.ok(
          target.spec.ports.some((p) => p.port === Number(port)),
          `${name}: ${e.name} port ${port}`,
        );
      }
    }
  });
});
