// `npm run load` and `npm run chaos`: start the platform as `npm start` does (own data directory and
// ports), drive it with virtual users, optionally inject faults, let it go quiet, audit what every
// database holds, and write the report under bench/results/<load|chaos>/.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { repoRoot } from "@toko/launcher";
import { audit, auditLine, type CheckResult } from "./audit.ts";
import { readSnapshot } from "./audit-snapshot.ts";
import { inject, SlowProvider } from "./faults.ts";
import { runLoad } from "./load.ts";
import { buildReport, type Machine, machineLine, renderMarkdown } from "./report.ts";
import { describeFault, faultSchedule, type ScheduledFault } from "./schedule.ts";
import { allReady, type Stack, startStack } from "./stack.ts";
import { renderChart } from "./svg.ts";

const usage = `Usage: npm run load -- [options]    npm run chaos -- [options]
  --duration <s>        load duration in seconds (default 60 for load, 300 for chaos)
  --users <n>           virtual users (default 30)
  --ramp <s>            seconds to ramp up to every user (default: a fifth of the duration, at most 30)
  --think <ms>          mean think time between a user's actions (default 1000)
  --seed <n>            the users' and the fault schedule's seed (default: the time)
  --quiet <s>           longest quiet period before the audit's verdict (default 240)
  --port-offset <n>     port offset of the platform (default 3370; see npm start --help)
  --pg-port <n>         embedded PostgreSQL port (default 5470)
  --out <dir>           report directory (default bench/results/<load|chaos>)
  --break-compensation  run the order service with its stock release disabled (the audit must fail)
  --keep                keep the data directory (its path is printed)`;

function machine(): Machine {
  const cpu = cpus();
  return {
    cpus: (cpu[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim(),
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.versions.node,
    loadBefore: loadavg(),
    loadAfter: [],
  };
}

function number(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`--${name} must be a number ≥ ${min}, got "${raw}"\n${usage}\n`);
    process.exit(2);
  }
  return n;
}

/**
 * The quiet period: no load, no faults. Polls until every service is ready and the audit passes,
 * at least `minS` and at most `maxS` seconds; what still fails at the end is the verdict.
 */
async function quietAudit(
  stack: Stack,
  minS: number,
  maxS: number,
  say: (l: string) => void,
): Promise<CheckResult[]> {
  const start = Date.now();
  let results: CheckResult[] = [];
  for (;;) {
    const elapsed = (Date.now() - start) / 1000;
    const notReady = await allReady(stack);
    try {
      results = audit(await readSnapshot(stack.adminUrl, stack.databases));
    } catch (error) {
      results = [{ name: "audit could read every database", ok: false, detail: (error as Error).message }];
    }
    if (notReady.length > 0)
      results.push({ name: "every service ready", ok: false, detail: `not ready: ${notReady.join(", ")}` });
    const failing = results.filter((r) => !r.ok);
    if ((failing.length === 0 && elapsed >= minS) || elapsed >= maxS) return results;
    say(
      `quiet ${Math.round(elapsed)} s: ${failing.length === 0 ? "all checks pass" : `waiting on ${failing.map((f) => f.name).join(", ")}`}`,
    );
    await sleep(5_000);
  }
}

export async function main(kind: "load" | "chaos", argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: "string" },
      users: { type: "string" },
      ramp: { type: "string" },
      think: { type: "string" },
      seed: { type: "string" },
      quiet: { type: "string" },
      "port-offset": { type: "string" },
      "pg-port": { type: "string" },
      out: { type: "string" },
      "break-compensation": { type: "boolean" },
      keep: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const durationS = number("duration", values.duration, kind === "chaos" ? 300 : 60, 5);
  const users = number("users", values.users, 30, 1);
  const rampS = number("ramp", values.ramp, Math.min(30, Math.round(durationS / 5)), 0);
  const thinkMs = number("think", values.think, 1000, 0);
  const seed = number("seed", values.seed, Date.now() % 1_000_000, 0);
  const quietS = number("quiet", values.quiet, 240, 10);
  const outDir = values.out ?? join(repoRoot, "bench", "results", kind);
  const tty = process.stderr.isTTY === true;
  const say = (line: string) => process.stderr.write(`${kind} | ${line}\n`);
  const progress = (line: string) =>
    tty ? process.stderr.write(`\r${kind} | ${line}\x1b[K`) : line.startsWith("0/") || say(line);
  let lastProgress = 0;
  const progressEvery = (line: string) => {
    if (tty || Date.now() - lastProgress >= 10_000) {
      lastProgress = Date.now();
      progress(line);
    }
  };
  const m = machine();
  const provider = new SlowProvider();
  const providerPort = await provider.start();
  const env: Record<string, string> = {
    // One client address drives every virtual user: the per-address limits would throttle the run.
    TOKO_RATE_LIMIT: "10000000",
    TOKO_RATE_LIMIT_REGISTER: "10000000",
    TOKO_RATE_LIMIT_LOGIN: "10000000",
    PAYMENT_WEBHOOK_URL: `http://127.0.0.1:${providerPort}/api/v1/payments/webhooks/sandbox`,
  };
  if (values["break-compensation"]) env.ORDER_DISABLE_COMPENSATION = "true";
  say(`starting the platform (launcher log in ${process.env.TMPDIR ?? "/tmp"})…`);
  let stack: Stack;
  try {
    stack = await startStack({
      portOffset: number("port-offset", values["port-offset"], 3370, -65535),
      postgresPort: number("pg-port", values["pg-port"], 5470, 1),
      env,
      keep: values.keep === true,
    });
  } catch (error) {
    await provider.stop();
    say(`error: ${(error as Error).message}`);
    return 1;
  }
  provider.target = stack.origin;
  say(`platform ready in ${(stack.readyMs / 1000).toFixed(1)} s at ${stack.origin}; log ${stack.logFile}`);
  const schedule: ScheduledFault[] =
    kind === "chaos" ? faultSchedule({ durationS, services: [...stack.readiness.keys()], seed }) : [];
  const faults: (ScheduledFault & { outcome: string })[] = [];
  let code = 0;
  try {
    let faultRun: Promise<void> = Promise.resolve();
    const result = await runLoad(stack, {
      durationS,
      users,
      rampS,
      thinkMs,
      seed,
      progress: progressEvery,
      onStart: (start) => {
        faultRun = (async () => {
          for (const f of schedule) {
            await sleep(Math.max(0, start + f.at * 1000 - Date.now()));
            const outcome = await inject(f.fault, stack, provider);
            faults.push({ ...f, outcome });
            if (tty) process.stderr.write("\n");
            say(`fault at ${f.at} s: ${describeFault(f.fault)} → ${outcome}`);
          }
        })();
      },
    });
    await faultRun;
    if (tty) process.stderr.write("\n");
    say(`load done: ${result.samples.length} requests; quiet period and audit…`);
    const results = await quietAudit(stack, kind === "chaos" ? 20 : 5, quietS, say);
    m.loadAfter = loadavg();
    const report = buildReport({
      kind,
      start: result.start,
      end: result.end,
      users,
      rampS,
      thinkMs,
      seed,
      machine: m,
      samples: result.samples,
      actions: result.actions,
      faults,
      audit: results,
      notes: [
        ...result.notes,
        `platform ready ${(stack.readyMs / 1000).toFixed(1)} s after the launcher started`,
        ...(values["break-compensation"]
          ? ["run with --break-compensation: the order service never releases stock"]
          : []),
      ],
    });
    mkdirSync(outDir, { recursive: true });
    const title = `${kind === "chaos" ? "Chaos" : "Load"} run: ${users} users, ${durationS} s${faults.length > 0 ? `, ${faults.length} faults` : ""}`;
    writeFileSync(
      join(outDir, "latest.svg"),
      renderChart(
        report.timeline,
        title,
        faults.map((f) => ({ t: f.at, label: describeFault(f.fault) })),
      ),
    );
    writeFileSync(join(outDir, "latest.md"), renderMarkdown(report, "latest.svg"));
    writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
    const failed = results.filter((r) => !r.ok).length;
    appendFileSync(
      join(outDir, "history.md"),
      `- ${report.startedAt}: ${durationS} s, ${users} users, seed ${seed}, ${report.total.requests} requests (${report.rps.toFixed(1)}/s, p99 ${report.total.p99.toFixed(0)} ms, ${report.total.errors} errors), ${faults.length} faults; audit ${results.length - failed} passed, ${failed} failed${values["break-compensation"] ? " (--break-compensation)" : ""}; ${machineLine(m)}\n`,
    );
    for (const r of results) say(`${r.ok ? "pass" : "FAIL"}  ${r.name}: ${r.detail}`);
    say(`report: ${relative(process.cwd(), join(outDir, "latest.md"))}`);
    if (kind === "chaos" || failed > 0) process.stdout.write(`${auditLine(results)}\n`);
    code = failed > 0 ? 1 : 0;
  } finally {
    await stack.stop();
    await provider.stop();
  }
  return code;
}
