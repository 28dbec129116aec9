import type { Metric } from "prom-client";
import { metricsRegistry } from "./metrics.ts";

/**
 * Counters and histograms for per-call paths. prom-client validates and hashes the labels on
 * every `inc`/`observe`, even through a label child; here a series is resolved once (`series`)
 * and recording is plain arithmetic on it. The registry reads the numbers when scraped, in the
 * same exposition format as prom-client's own metrics.
 */
interface Options {
  name: string;
  help: string;
  labelNames: readonly string[];
}

type Value = { labels: Record<string, string | number>; value: number; metricName?: string };

abstract class FastMetric<S> {
  readonly #series = new Map<string, { labels: Record<string, string>; series: S }>();

  constructor(
    private readonly options: Options,
    type: "counter" | "histogram",
  ) {
    const { name, help } = options;
    const read = async () => ({ name, help, type, aggregator: "sum", values: this.values() });
    // prom-client's registry takes any object of this shape.
    metricsRegistry.registerMetric({
      name,
      help,
      type,
      aggregator: "sum",
      get: read,
      reset() {},
    } as unknown as Metric);
  }

  /** The series of these label values (in `labelNames` order); keep it and record on it. */
  series(...values: string[]): S {
    const key = values.join("\u0000");
    let entry = this.#series.get(key);
    if (!entry) {
      const labels: Record<string, string> = {};
      this.options.labelNames.forEach((label, i) => {
        labels[label] = values[i] ?? "";
      });
      entry = { labels, series: this.create() };
      this.#series.set(key, entry);
    }
    return entry.series;
  }

  protected abstract create(): S;
  protected abstract valuesOf(labels: Record<string, string>, series: S): Value[];

  private values(): Value[] {
    return [...this.#series.values()].flatMap(({ labels, series }) => this.valuesOf(labels, series));
  }
}

export class CounterSeries {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

/** A counter whose series cost an addition per `inc`. */
export class FastCounter extends FastMetric<CounterSeries> {
  constructor(options: Options) {
    super(options, "counter");
  }
  protected create(): CounterSeries {
    return new CounterSeries();
  }
  protected valuesOf(labels: Record<string, string>, series: CounterSeries): Value[] {
    return [{ labels, value: series.value }];
  }
}

export class HistogramSeries {
  count = 0;
  sum = 0;
  readonly counts: Float64Array;
  constructor(private readonly buckets: readonly number[]) {
    this.counts = new Float64Array(buckets.length);
  }
  observe(value: number): void {
    this.count += 1;
    this.sum += value;
    const buckets = this.buckets;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= (buckets[i] as number)) {
        this.counts[i] = (this.counts[i] ?? 0) + 1;
        return;
      }
    }
  }
}

/** A histogram whose series cost a bucket scan per `observe`. */
export class FastHistogram extends FastMetric<HistogramSeries> {
  constructor(private readonly histogram: Options & { buckets: readonly number[] }) {
    super(histogram, "histogram");
  }
  protected create(): HistogramSeries {
    return new HistogramSeries(this.histogram.buckets);
  }
  protected valuesOf(labels: Record<string, string>, s: HistogramSeries): Value[] {
    // A series that never observed anything is left out, as prom-client does.
    if (s.count === 0) return [];
    const name = this.histogram.name;
    let cumulative = 0;
    const rows: Value[] = this.histogram.buckets.map((le, i) => {
      cumulative += s.counts[i] ?? 0;
      return { labels: { le, ...labels }, value: cumulative, metricName: `${name}_bucket` };
    });
    rows.push(
      { labels: { le: "+Inf", ...labels }, value: s.count, metricName: `${name}_bucket` },
      { labels, value: s.sum, metricName: `${name}_sum` },
      { labels, value: s.count, metricName: `${name}_count` },
    );
    return rows;
  }
}
