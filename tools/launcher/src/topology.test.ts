import assert from "node:assert/strict";
import { test } from "node:test";
import type { ServiceSpec } from "./manifest.ts";
import { startOrder } from "./topology.ts";

const svc = (name: string, dependsOn: string[] = []): ServiceSpec => ({
  name,
  dir: `/x/${name}`,
  kind: "service",
  dependsOn,
});

test("every service comes after its dependencies, alphabetical among equals", () => {
  const order = startOrder([
    svc("order", ["cart", "user"]),
    svc("cart", ["user"]),
    svc("user"),
    svc("audit"),
  ]);
  assert.deepEqual(
    order.map((s) => s.name),
    ["audit", "user", "cart", "order"],
  );
});

test("an unknown dependency names the service and the missing name", () => {
  assert.throws(() => startOrder([svc("cart", ["ghost"]), svc("user")]), {
    message: 'cart depends on "ghost", which is not a service in this repository (known: cart, user)',
  });
});

test("a cycle is reported with its path", () => {
  assert.throws(() => startOrder([svc("a", ["b"]), svc("b", ["c"]), svc("c", ["a"]), svc("d")]), {
    message: "dependency cycle: a -> b -> c -> a",
  });
  assert.throws(() => startOrder([svc("a", ["a"])]), { message: "dependency cycle: a -> a" });
});
