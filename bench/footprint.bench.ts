// The whole platform's footprint: time from `npm start` to ready (a first start on a fresh data
// directory, then a second start on the same one) and the memory (PSS) of every process, after
// start and after a load run of the load generator.
import { readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { platformProcesses, runLoad, type Stack, startStack } from "@toko/load";
import type { BenchResult } from "./run.ts";

const GOAL_MB = 1536;
const GOAL_READY_S = 20;
const PORT_OFFSET = 3470;
const PG_PORT = 5480;

/** Proportional set size in kB (shared pages split among the processes sharing them). */
function pssKb(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(/^Pss:\s+(\d+) kB/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** PSS per role (each service, the launcher, PostgreSQL with its backends), in MB. */
function footprint(stack: Stack): Map<string, { mb: number; processes: number }> {
  const out = new Map<string, { mb: number; processes: number }>();
  for (const p of platformProcesses(stack.launcherPid)) {
    const row = out.get(p.role) ?? { mb: 0, processes: 0 };
    row.mb += pssKb(p.pid) / 1024;
    row.processes++;
    out.set(p.role, row);
  }
  return out;
}

const total = (m: Map<string, { mb: number }>) => [...m.values()].reduce((s, r) => s + r.mb, 0);

export default async function (): Promise<BenchResult> {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
  const first = await startStack({ portOffset: PORT_OFFSET, postgresPort: PG_PORT, keep: true });
  const firstReadyMs = first.readyMs;
  const dataDir = first.dataDir;
  await first.stop();
  const stack = await startStack({ portOffset: PORT_OFFSET, postgresPort: PG_PORT, dataDir, keep: true });
  let afterStart: Map<string, { mb: number; processes: number }>;
  let afterLoad: Map<string, { mb: number; processes: number }>;
  let requests = 0;
  try {
    // A moment for start-up work (caches, JIT) to settle before measuring.
    await new Promise((r) => setTimeout(r, 10_000));
    afterStart = footprint(stack);
    const result = await runLoad(stack, { durationS: 60, users: 20, rampS: 10, thinkMs: 1000, seed: 1 });
    requests = result.samples.length;
    afterLoad = footprint(stack);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const roles = [...new Set([...afterStart.keys(), ...afterLoad.keys()])].sort(
    (a, b) => (afterLoad.get(b)?.mb ?? 0) - (afterLoad.get(a)?.mb ?? 0),
  );
  const rows: Record<string, string | number>[] = roles.map((role) => ({
    process: role,
    count: afterLoad.get(role)?.processes ?? afterStart.get(role)?.processes ?? 0,
    "PSS after start MB": Math.round(afterStart.get(role)?.mb ?? 0),
    "PSS after load MB": Math.round(afterLoad.get(role)?.mb ?? 0),
  }));
  const startMb = total(afterStart);
  const loadMb = total(afterLoad);
  rows.push({
    process: "total",
    count: [...afterLoad.values()].reduce((s, r) => s + r.processes, 0),
    "PSS after start MB": Math.round(startMb),
    "PSS after load MB": Math.round(loadMb),
  });
  const secondReadyMs = stack.readyMs;
  return {
    name: "platform footprint: memory (PSS) and time to ready",
    rows,
    notes: [
      `ready: first start (fresh data directory: initdb, migrations, demo seed) ${(firstReadyMs / 1000).toFixed(1)} s; second start ${(secondReadyMs / 1000).toFixed(1)} s; goal ≤ ${GOAL_READY_S} s → ${secondReadyMs / 1000 <= GOAL_READY_S ? "met" : "missed"}`,
      `memory: ${Math.round(startMb)} MB after start, ${Math.round(loadMb)} MB after a 60 s load run of 20 users (${requests} requests); goal ≤ ${GOAL_MB} MB → ${loadMb <= GOAL_MB ? "met" : "missed"}`,
      `load average at the start: ${load}; the machine is shared, so times are upper bounds`,
    ],
  };
}
