import { LauncherError, type ServiceSpec } from "./manifest.ts";

/**
 * Orders services so each comes after everything it depends on (alphabetical among equals,
 * so the order is stable). An unknown dependency or a cycle is an error naming the culprits.
 */
export function startOrder(specs: readonly ServiceSpec[]): ServiceSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const s of specs) {
    for (const d of s.dependsOn) {
      if (d === s.name) throw new LauncherError(`dependency cycle: ${s.name} -> ${s.name}`);
      if (!byName.has(d)) {
        const known = [...byName.keys()].join(", ") || "none";
        throw new LauncherError(
          `${s.name} depends on "${d}", which is not a service in this repository (known: ${known})`,
        );
      }
    }
  }
  const cycle = findCycle(specs, byName);
  if (cycle) throw new LauncherError(`dependency cycle: ${cycle.join(" -> ")}`);

  const done = new Set<string>();
  const order: ServiceSpec[] = [];
  const remaining = [...specs].sort((a, b) => a.name.localeCompare(b.name));
  while (remaining.length > 0) {
    const index = remaining.findIndex((s) => s.dependsOn.every((d) => done.has(d)));
    const [next] = remaining.splice(index, 1);
    if (!next) break;
    done.add(next.name);
    order.push(next);
  }
  return order;
}

function findCycle(specs: readonly ServiceSpec[], byName: Map<string, ServiceSpec>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const s = state.get(name);
    if (s === "done") return undefined;
    if (s === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const d of byName.get(name)?.dependsOn ?? []) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const s of [...specs].sort((a, b) => a.name.localeCompare(b.name))) {
    const found = visit(s.name);
    if (found) return found;
  }
  return undefined;
}
