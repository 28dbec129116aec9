import type { Sample } from "./client.ts";

/** The p-th percentile (0-100) of ascending `sorted` by nearest rank; 0 for no values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

export interface Summary {
  requests: number;
  /** Answers that were not 2xx/3xx/4xx-by-design: status 0 (no answer) or 5xx. */
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly Sample[]): Summary {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    errors: samples.filter(isError).length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? 0,
  };
}

/** A failed request: no answer, or a server error. 4xx answers are the API saying no, by design. */
export const isError = (s: Sample) => s.status === 0 || s.status >= 500;

export interface WindowRow extends Summary {
  /** Seconds since the start of the run, at the window's start. */
  t: number;
  /** Requests per second over the window. */
  rps: number;
}

/** Throughput and latency percentiles per window of `windowS` seconds from `start`. */
export function timeline(
  samples: readonly Sample[],
  start: number,
  end: number,
  windowS: number,
): WindowRow[] {
  const count = Math.max(1, Math.ceil((end - start) / (windowS * 1000)));
  const buckets: Sample[][] = Array.from({ length: count }, () => []);
  for (const s of samples) {
    const i = Math.floor((s.at - start) / (windowS * 1000));
    if (i >= 0 && i < count) buckets[i]?.push(s);
  }
  return buckets.map((b, i) => ({ t: i * windowS, rps: b.length / windowS, ...summarize(b) }));
}

/** Per route name, sorted by request count. */
export function byRoute(samples: readonly Sample[]): { name: string; summary: Summary }[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) groups.set(s.name, [...(groups.get(s.name) ?? []), s]);
  return [...groups]
    .map(([name, list]) => ({ name, summary: summarize(list) }))
    .sort((a, b) => b.summary.requests - a.summary.requests || a.name.localeCompare(b.name));
}
