import type { CheckResult } from "./audit.ts";
import type { Sample } from "./client.ts";
import type { Action } from "./mix.ts";
import { describeFault, type ScheduledFault } from "./schedule.ts";
import { byRoute, type Summary, summarize, timeline, type WindowRow } from "./stats.ts";

export interface Machine {
  cpus: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  /** 1, 5 and 15 minute load averages at the start and the end of the run. */
  loadBefore: number[];
  loadAfter: number[];
}

export interface RunReport {
  kind: "load" | "chaos";
  startedAt: string;
  durationS: number;
  users: number;
  rampS: number;
  thinkMs: number;
  seed: number;
  machine: Machine;
  total: Summary;
  rps: number;
  actions: Record<Action, number>;
  routes: { name: string; summary: Summary }[];
  timeline: WindowRow[];
  faults: (ScheduledFault & { outcome: string })[];
  audit: CheckResult[];
  /** Anything the run wants the reader to know (e.g. sign-in failures). */
  notes: string[];
}

export function buildReport(input: {
  kind: "load" | "chaos";
  start: number;
  end: number;
  users: number;
  rampS: number;
  thinkMs: number;
  seed: number;
  machine: Machine;
  samples: readonly Sample[];
  actions: Record<Action, number>;
  faults: (ScheduledFault & { outcome: string })[];
  audit: CheckResult[];
  notes: string[];
  windowS?: number;
}): RunReport {
  const durationS = Math.max(0.001, (input.end - input.start) / 1000);
  return {
    kind: input.kind,
    startedAt: new Date(input.start).toISOString(),
    durationS: Math.round(durationS),
    users: input.users,
    rampS: input.rampS,
    thinkMs: input.thinkMs,
    seed: input.seed,
    machine: input.machine,
    total: summarize(input.samples),
    rps: input.samples.length / durationS,
    actions: input.actions,
    routes: byRoute(input.samples),
    timeline: timeline(input.samples, input.start, input.end, input.windowS ?? 5),
    faults: input.faults,
    audit: input.audit,
    notes: input.notes,
  };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

export function machineLine(m: Machine): string {
  return `${m.cores} × ${m.cpus}, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}; load average ${m.loadBefore.map((l) => l.toFixed(2)).join(" / ")} before, ${m.loadAfter.map((l) => l.toFixed(2)).join(" / ")} after`;
}

/** The Markdown report; `chart` is the SVG's file name beside it. */
export function renderMarkdown(r: RunReport, chart: string): string {
  const lines: string[] = [];
  const title = r.kind === "chaos" ? "Chaos run" : "Load run";
  lines.push(`# ${title} — ${r.startedAt}`, "");
  lines.push(
    `- Machine: ${machineLine(r.machine)}`,
    `- ${r.users} virtual users (ramp ${r.rampS} s, think time ~${r.thinkMs} ms), ${r.durationS} s, seed ${r.seed}`,
    `- ${r.total.requests} requests, ${r.rps.toFixed(1)}/s; ${r.total.errors} errors (no answer or 5xx); p50 ${ms(r.total.p50)} ms, p95 ${ms(r.total.p95)} ms, p99 ${ms(r.total.p99)} ms`,
    `- Iterations: ${Object.entries(r.actions)
      .map(([a, n]) => `${a} ${n}`)
      .join(", ")}`,
    "",
    `![throughput and latency over time](${chart})`,
    "",
    "## Routes",
    "",
    "| route | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const { name, summary: s } of r.routes)
    lines.push(
      `| ${name} | ${s.requests} | ${s.errors} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} |`,
    );
  if (r.faults.length > 0) {
    lines.push("", "## Faults", "", "| at s | fault | outcome |", "| ---: | --- | --- |");
    for (const f of r.faults) lines.push(`| ${f.at} | ${describeFault(f.fault)} | ${f.outcome} |`);
  }
  if (r.audit.length > 0) {
    const failed = r.audit.filter((a) => !a.ok).length;
    lines.push("", "## Audit", "", `${r.audit.length - failed} passed, ${failed} failed.`, "");
    lines.push("| check | result | detail |", "| --- | --- | --- |");
    for (const a of r.audit)
      lines.push(`| ${a.name} | ${a.ok ? "pass" : "**FAIL**"} | ${a.detail.replaceAll("|", "\\|")} |`);
  }
  if (r.notes.length > 0) lines.push("", "## Notes", "", ...r.notes.map((n) => `- ${n}`));
  return `${lines.join("\n")}\n`;
}
