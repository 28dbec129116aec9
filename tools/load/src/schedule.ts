import { rng } from "./mix.ts";

export type Fault =
  | { kind: "kill"; service: string }
  | { kind: "pause-postgres"; seconds: number }
  | { kind: "cut-bus" }
  | { kind: "slow-payments"; seconds: number; delayMs: number };

export interface ScheduledFault {
  /** Seconds from the start of the load. */
  at: number;
  fault: Fault;
}

export interface ScheduleOptions {
  /** Load duration in seconds; faults stop before its end, leaving the rest and the quiet period to heal. */
  durationS: number;
  services: readonly string[];
  seed: number;
  /** No faults during the ramp. */
  startS?: number;
  /** Mean seconds between kills. */
  killEveryS?: number;
  /** Mean seconds between the other faults (they take turns). */
  otherEveryS?: number;
  /** A service killed is left alone this long (the launcher gives up on one that crashes fast, repeatedly). */
  sameServiceGapS?: number;
}

const OTHERS = ["pause-postgres", "cut-bus", "slow-payments"] as const;

/**
 * The chaos run's fault schedule, fixed by the seed: a SIGKILL of a random service every few
 * seconds and, taking turns, a PostgreSQL pause, a bus cut and a slow payment provider. Faults
 * end at 85% of the duration so the last of the load runs on a healing platform.
 */
export function faultSchedule(o: ScheduleOptions): ScheduledFault[] {
  const random = rng(o.seed);
  const start = o.startS ?? Math.min(20, o.durationS * 0.15);
  const end = o.durationS * 0.85;
  const killEvery = o.killEveryS ?? 8;
  const otherEvery = o.otherEveryS ?? 25;
  const gap = o.sameServiceGapS ?? 40;
  const out: ScheduledFault[] = [];
  const lastKill = new Map<string, number>();
  for (let t = start + killEvery * random(); t < end; t += killEvery * (0.5 + random())) {
    const ready = o.services.filter((s) => t - (lastKill.get(s) ?? Number.NEGATIVE_INFINITY) >= gap);
    if (ready.length === 0) continue;
    const service = ready[Math.floor(random() * ready.length)] as string;
    lastKill.set(service, t);
    out.push({ at: round(t), fault: { kind: "kill", service } });
  }
  let turn = Math.floor(random() * OTHERS.length);
  for (
    let t = start + otherEvery * (0.3 + 0.4 * random());
    t < end;
    t += otherEvery * (0.75 + 0.5 * random())
  ) {
    const kind = OTHERS[turn++ % OTHERS.length];
    if (kind === "pause-postgres")
      out.push({ at: round(t), fault: { kind, seconds: 2 + Math.floor(random() * 4) } });
    else if (kind === "cut-bus") out.push({ at: round(t), fault: { kind } });
    else
      out.push({
        at: round(t),
        fault: { kind: "slow-payments", seconds: 15, delayMs: 3_000 + Math.floor(random() * 9_000) },
      });
  }
  return out.sort((a, b) => a.at - b.at);
}

const round = (t: number) => Math.round(t * 10) / 10;

export function describeFault(f: Fault): string {
  switch (f.kind) {
    case "kill":
      return `SIGKILL ${f.service}`;
    case "pause-postgres":
      return `pause PostgreSQL ${f.seconds} s`;
    case "cut-bus":
      return "cut the bus (terminate its connections)";
    case "slow-payments":
      return `slow payment provider ${f.seconds} s (+${f.delayMs} ms per webhook)`;
  }
}
