import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { makeTempDir } from "@toko/testing";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { parseAllDocuments } from "yaml";
import { discoverServices } from "../src/discovery.ts";
import { writeKustomizeBase } from "../src/kustomize.ts";
import type { ServiceSpec } from "../src/manifest.ts";

const root = resolve(import.meta.dirname, "..", "..", "..");
const committed = join(root, "deploy", "kustomize", "base");
const hasKubectl = spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0;
// CI installs kubectl (.ci/run): there a missing one fails the tests instead of skipping them.
const skip = hasKubectl || process.env.CI ? false : "kubectl is not installed (.ci/run installs it)";

/** Each kind the overlays may render, with its validator generated from the Kubernetes OpenAPI schema. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "networking.k8s.io/v1/Ingress": Ingress,
};

type K8s = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML, checked field by field below
  spec?: any;
  data?: Record<string, string>;
};
type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
};
type Container = {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  ports?: { containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: number } };
  livenessProbe?: { httpGet?: { path: string; port: number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
};
type PodTemplate = {
  metadata: { labels: Record<string, string> };
  spec: { securityContext?: Record<string, unknown>; containers: Container[] };
};

function render(overlay: string): K8s[] {
  const out = spawnSync("kubectl", ["kustomize", join(root, "deploy", "kustomize", "overlays", overlay)], {
    encoding: "utf8",
  });
  assert.equal(out.status, 0, out.stderr);
  return parseAllDocuments(out.stdout).map((d) => d.toJS() as K8s);
}

const find = (docs: K8s[], kind: string, name: string) =>
  docs.find((d) => d.kind === kind && d.metadata.name === name);
const templateOf = (d: K8s) => d.spec.template as PodTemplate;
const envOf = (c: Container) => new Map((c.env ?? []).map((e) => [e.name, e]));

/** Every check both overlays must pass; returns the rendered objects for overlay-specific ones. */
function checkOverlay(overlay: string): K8s[] {
  const docs = render(overlay);
  const specs = discoverServices(root);
  const specByName = new Map(specs.map((s) => [s.name, s]));

  // Every object is a kind we know and valid against that kind's schema, in the namespace.
  for (const d of docs) {
    const Model = models[`${d.apiVersion}/${d.kind}`];
    assert.ok(Model, `${overlay}: ${d.apiVersion} ${d.kind} ${d.metadata.name} has no schema here`);
    assert.doesNotThrow(() => new Model(d as never).validate(), `${overlay}: ${d.kind} ${d.metadata.name}`);
    if (d.kind !== "Namespace") assert.equal(d.metadata.namespace, "toko", `${d.kind} ${d.metadata.name}`);
  }
  const namespace = find(docs, "Namespace", "toko");
  assert.equal(namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"], "restricted");

  // Restricted security contexts and pinned images on every pod, resources on every container.
  const pods = docs.filter((d) => d.kind === "Deployment" || d.kind === "Job");
  for (const d of pods) {
    const pod = templateOf(d);
    const where = `${overlay}: ${d.kind} ${d.metadata.name}`;
    assert.equal(pod.spec.securityContext?.runAsNonRoot, true, where);
    assert.deepEqual(pod.spec.securityContext?.seccompProfile, { type: "RuntimeDefault" }, where);
    for (const c of pod.spec.containers) {
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false, where);
      assert.deepEqual(c.securityContext?.capabilities?.drop, ["ALL"], where);
      assert.equal(c.securityContext?.runAsNonRoot, true, where);
      if (pod.metadata.labels["app.kubernetes.io/part-of"] === "toko") {
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true, where);
      }
      assert.match(c.image, /^[a-z0-9./-]+:[0-9][\w.-]*$/, `${where}: image tag pinned`);
      assert.ok(c.resources?.requests?.cpu && c.resources.requests.memory, `${where}: requests`);
      assert.ok(c.resources?.limits?.memory, `${where}: memory limit`);
    }
  }

  // Every Secret and ConfigMap key a container needs exists (the dev overlay generates its
  // Secrets; the prod overlay's are created by the operator, so only their names are known).
  const secrets = new Map(docs.filter((d) => d.kind === "Secret").map((d) => [d.metadata.name, d]));
  const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d]));
  const operatorSecrets = new Set<string>();
  for (const d of pods) {
    for (const c of templateOf(d).spec.containers) {
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        if (cm && !cm.optional) {
          const map = configMaps.get(cm.name);
          assert.ok(
            map && cm.key in (map.data ?? {}),
            `${d.metadata.name}: ${e.name} needs ConfigMap key ${cm.key}`,
          );
        }
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !ref.optional) {
          operatorSecrets.add(ref.name.replace(/-[a-z0-9]{10}$/, ""));
          if (overlay === "dev") {
            const secret = secrets.get(ref.name);
            assert.ok(
              secret && ref.key in (secret.data ?? {}),
              `${d.metadata.name}: ${e.name} needs ${ref.name}/${ref.key}`,
            );
          }
        }
      }
    }
  }
  // One Secret per concern: no two services share a database secret.
  const dbSecrets = [...operatorSecrets].filter((s) => s.startsWith("toko-db-"));
  assert.deepEqual(
    dbSecrets.sort(),
    specs
      .filter((s) => s.database)
      .map((s) => `toko-db-${s.database}`)
      .sort(),
  );

  const services = new Map(docs.filter((d) => d.kind === "Service").map((d) => [d.metadata.name, d]));
  for (const spec of specs) {
    const where = `${overlay}: ${spec.name}`;
    const deployment = find(docs, "Deployment", spec.name);
    assert.ok(deployment, `${where}: Deployment`);
    assert.ok(services.has(spec.name), `${where}: Service`);
    const container = templateOf(deployment).spec.containers[0] as Container;
    assert.match(container.image, new RegExp(`^toko/${spec.name}:0\\.1\\.0$`));
    // Probes on the ops port (the gateway has only its HTTP port).
    const probePort = spec.opsPort ?? spec.httpPort;
    assert.deepEqual(container.readinessProbe?.httpGet, { path: "/readyz", port: probePort }, where);
    assert.deepEqual(container.livenessProbe?.httpGet, { path: "/healthz", port: probePort }, where);
    const env = envOf(container);
    // Every listener binds where other pods reach it.
    if (spec.grpcPort !== undefined) assert.equal(env.get("GRPC_HOST")?.value, "0.0.0.0", where);
    if (spec.httpPort !== undefined) {
      assert.equal(env.get(spec.kind === "gateway" ? "GATEWAY_HOST" : "HTTP_HOST")?.value, "0.0.0.0", where);
    }

    const pdb = find(docs, "PodDisruptionBudget", spec.name);
    assert.deepEqual(pdb?.spec.selector, { matchLabels: { "app.kubernetes.io/name": spec.name } }, where);
    const hpa = find(docs, "HorizontalPodAutoscaler", spec.name);
    assert.deepEqual(hpa?.spec.scaleTargetRef, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: spec.name,
    });
    assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas, where);

    // A migration Job per database, running the same image with the migration command on the
    // same database Secret.
    const job = find(docs, "Job", `${spec.name}-migrate`);
    if (spec.database) {
      assert.ok(job, `${where}: migration Job`);
      const migrate = templateOf(job).spec.containers[0] as Container;
      assert.equal(migrate.image, container.image);
      // The image's compiled kit (deploy/Dockerfile): /app/<path>/dist/<file>.js from <path>/src/<file>.ts.
      const script = migrate.command?.find((a) => a.startsWith("/app/") && a.endsWith(".js"));
      const source = script?.slice("/app/".length).replace("/dist/", "/src/").replace(/\.js$/, ".ts");
      assert.ok(source && existsSync(join(root, source)), `${where}: migration command ${migrate.command}`);
      assert.ok(migrate.command?.includes("--conditions=production"), `${where}: production imports`);
      assert.deepEqual(
        envOf(migrate).get("DATABASE_URL")?.valueFrom,
        env.get("DATABASE_URL")?.valueFrom,
        `${where}: the Job migrates the service's database`,
      );
    } else {
      assert.equal(job, undefined);
    }

    // Reachable only from its callers: the services whose "toko.dependsOn" names it.
    const policy = find(docs, "NetworkPolicy", spec.name);
    assert.ok(policy, `${where}: NetworkPolicy`);
    assert.deepEqual(policy.spec.podSelector, { matchLabels: { "app.kubernetes.io/name": spec.name } });
    assert.deepEqual(policy.spec.policyTypes, ["Ingress", "Egress"]);
    const allowedIn = (port: number) =>
      new Set(
        (
          policy.spec.ingress as {
            from: { podSelector?: { matchExpressions: { values: string[] }[] } }[];
            ports: { port: number }[];
          }[]
        )
          .filter((rule) => rule.ports.some((p) => p.port === port))
          .flatMap((rule) => rule.from.flatMap((f) => f.podSelector?.matchExpressions[0]?.values ?? [])),
      );
    const callers = specs.filter((s) => s.dependsOn.includes(spec.name)).map((s) => s.name);
    if (spec.grpcPort !== undefined)
      assert.deepEqual([...allowedIn(spec.grpcPort)].sort(), callers.sort(), where);
    if (spec.opsPort !== undefined)
      assert.equal(allowedIn(spec.opsPort).size, 0, `${where}: no pod reaches ops`);
    if (spec.name === "oauth2" && spec.httpPort !== undefined) {
      assert.deepEqual([...allowedIn(spec.httpPort)], ["gateway"]);
    }

    // Every peer it is told about is a Service exposing that port, and its policy lets it out there.
    const egress = policy.spec.egress as {
      to?: { podSelector?: { matchExpressions?: { values: string[] }[] } }[];
      ports: { port: number }[];
    }[];
    for (const e of container.env ?? []) {
      const peer = /^TOKO_([A-Z0-9_]+)_(ADDR|HTTP_URL)$/.exec(e.name);
      if (!peer || !e.value) continue;
      const url = new URL(e.name.endsWith("_ADDR") ? `grpc://${e.value}` : e.value);
      const target = services.get(url.hostname);
      assert.ok(target, `${where}: ${e.name} names a missing Service ${url.hostname}`);
      assert.ok(
        target.spec.ports.some((p: { port: number }) => p.port === Number(url.port)),
        `${where}: ${e.name}`,
      );
      assert.ok(
        (specByName.get(spec.name) as ServiceSpec).dependsOn.includes(url.hostname),
        `${where}: ${e.name} is not a dependency`,
      );
      assert.ok(
        egress.some(
          (rule) =>
            rule.to?.some((t) => t.podSelector?.matchExpressions?.[0]?.values.includes(url.hostname)) &&
            rule.ports.some((p) => p.port === Number(url.port)),
        ),
        `${where}: egress to ${e.value}`,
      );
    }
  }
  const denyAll = find(docs, "NetworkPolicy", "default-deny");
  assert.deepEqual(denyAll?.spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

  // The gateway verifies tokens with the issuer's keys fetched inside the cluster.
  const gateway = templateOf(find(docs, "Deployment", "gateway") as K8s).spec.containers[0] as Container;
  const jwks = new URL(envOf(gateway).get("TOKO_JWKS_URL")?.value ?? "");
  const oauth2 = specByName.get("oauth2") as ServiceSpec;
  assert.equal(`${jwks.hostname}:${jwks.port}${jwks.pathname}`, `oauth2:${oauth2.httpPort}/oauth2/jwks`);
  // The Ingress sends everything to the gateway's HTTP port; only the ingress controller gets in.
  const ingress = find(docs, "Ingress", "gateway");
  const backend = ingress?.spec.rules[0].http.paths[0].backend.service;
  assert.equal(backend.name, "gateway");
  assert.ok(
    services.get("gateway")?.spec.ports.some((p: { name: string }) => p.name === backend.port.name),
    "Ingress backend port",
  );
  return docs;
}

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

  it("the prod overlay renders valid objects: hardened pods, budgets, autoscalers, migration Jobs, policies, the Ingress", {
    skip,
  }, () => {
    assert.ok(hasKubectl, "kubectl is required in CI (.ci/run installs it)");
    const docs = checkOverlay("prod");
    // The operator creates the Secrets: none is rendered, so none is committed.
    assert.equal(docs.filter((d) => d.kind === "Secret").length, 0);
    const ingress = find(docs, "Ingress", "gateway");
    assert.deepEqual(ingress?.spec.tls, [{ hosts: ["toko.example.com"], secretName: "toko-tls" }]);
    for (const d of docs.filter((x) => x.kind === "HorizontalPodAutoscaler"))
      assert.ok(d.spec.minReplicas >= 2);
  });

  it("the dev overlay renders valid objects with its own secrets, backing services and development mode", {
    skip,
  }, () => {
    assert.ok(hasKubectl, "kubectl is required in CI (.ci/run installs it)");
    const docs = checkOverlay("dev");
    for (const name of ["postgres", "nats", "redis"]) {
      assert.ok(find(docs, "Deployment", name), name);
      assert.ok(find(docs, "Service", name), name);
    }
    for (const d of docs.filter(
      (x) => x.kind === "Deployment" && x.metadata.labels?.["app.kubernetes.io/part-of"] === "toko",
    )) {
      const env = envOf(templateOf(d).spec.containers[0] as Container);
      assert.equal(env.get("TOKO_ENV")?.value, "development", d.metadata.name);
    }
    // Each service's database exists in the development PostgreSQL.
    const init = find(docs, "ConfigMap", "postgres-init")?.data?.["databases.sql"] ?? "";
    for (const spec of discoverServices(root).filter((s) => s.database)) {
      assert.match(init, new RegExp(`CREATE DATABASE "?${spec.database}"?;`), spec.name);
    }
  });
});
