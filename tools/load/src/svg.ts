import type { WindowRow } from "./stats.ts";

export interface ChartMarker {
  /** Seconds since the start of the run. */
  t: number;
  label: string;
}

const W = 900;
const H = 420;
const PAD = { left: 60, right: 60, top: 40, bottom: 50 };

const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** A round number ≥ `max` for an axis of four intervals, from 1, 2, 4, 6, 8 × 10^k. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 4, 6, 8, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

/** Seconds between time-axis labels: a round step giving at most about ten labels. */
export function timeStep(span: number): number {
  for (const step of [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600]) if (span / step <= 10) return step;
  return Math.ceil(span / 10 / 600) * 600;
}

/**
 * Throughput (bars, left axis) and p50/p95/p99 latency (lines, right axis) over time, with
 * vertical markers (the faults of a chaos run). Plain SVG, no script, readable on GitHub.
 */
export function renderChart(
  rows: readonly WindowRow[],
  title: string,
  markers: readonly ChartMarker[] = [],
): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const window = rows.length > 1 ? (rows[1]?.t ?? 1) - (rows[0]?.t ?? 0) : 1;
  const span = Math.max(window, rows.length * window);
  const x = (t: number) => PAD.left + (t / span) * plotW;
  const rpsMax = niceMax(Math.max(0, ...rows.map((r) => r.rps)));
  const msMax = niceMax(Math.max(0, ...rows.map((r) => r.p99)));
  const yR = (v: number) => PAD.top + plotH - (v / rpsMax) * plotH;
  const yL = (v: number) => PAD.top + plotH - (v / msMax) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  );
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + (plotH * i) / 4;
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(
      `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" fill="#4a7">${fmt((rpsMax * (4 - i)) / 4)}</text>`,
    );
    out.push(`<text x="${W - PAD.right + 6}" y="${y + 4}" fill="#a33">${fmt((msMax * (4 - i)) / 4)}</text>`);
  }
  const barW = Math.max(1, (plotW / Math.max(1, rows.length)) * 0.8);
  for (const r of rows) {
    const y = yR(r.rps);
    out.push(
      `<rect x="${x(r.t).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - y).toFixed(1)}" fill="#bdb"/>`,
    );
    if (r.errors > 0) {
      // The failed part of the window's requests, at the bottom of its bar.
      const ye = yR((r.errors / Math.max(1, r.requests)) * r.rps);
      out.push(
        `<rect x="${x(r.t).toFixed(1)}" y="${ye.toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - ye).toFixed(1)}" fill="#e79"/>`,
      );
    }
  }
  const line = (key: "p50" | "p95" | "p99", color: string, dash: string) => {
    const pts = rows
      .filter((r) => r.requests > 0)
      .map((r) => `${(x(r.t) + barW / 2).toFixed(1)},${yL(r[key]).toFixed(1)}`);
    if (pts.length > 0)
      out.push(
        `<polyline points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="1.6"${dash}/>`,
      );
  };
  line("p50", "#36c", "");
  line("p95", "#c63", ' stroke-dasharray="5 3"');
  line("p99", "#a33", ' stroke-dasharray="2 2"');
  for (const m of markers) {
    const mx = x(m.t).toFixed(1);
    out.push(
      `<line x1="${mx}" x2="${mx}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#888" stroke-width="0.8" stroke-dasharray="1 3"><title>${esc(`${m.t} s: ${m.label}`)}</title></line>`,
    );
  }
  out.push(
    `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#333"/>`,
  );
  const step = timeStep(span);
  for (let t = 0; t <= span; t += step)
    out.push(`<text x="${x(t).toFixed(1)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${t}</text>`);
  out.push(
    `<text x="${PAD.left + plotW / 2}" y="${H - 12}" text-anchor="middle">seconds</text>`,
    `<text x="14" y="${PAD.top + plotH / 2}" transform="rotate(-90 14 ${PAD.top + plotH / 2})" text-anchor="middle" fill="#4a7">requests/s (red: failed)</text>`,
    `<text x="${W - 12}" y="${PAD.top + plotH / 2}" transform="rotate(90 ${W - 12} ${PAD.top + plotH / 2})" text-anchor="middle" fill="#a33">latency ms</text>`,
    `<g transform="translate(${PAD.left + 10},${PAD.top + 12})">`,
    `<line x1="0" x2="18" y1="0" y2="0" stroke="#36c" stroke-width="1.6"/><text x="22" y="4">p50</text>`,
    `<line x1="60" x2="78" y1="0" y2="0" stroke="#c63" stroke-width="1.6" stroke-dasharray="5 3"/><text x="82" y="4">p95</text>`,
    `<line x1="120" x2="138" y1="0" y2="0" stroke="#a33" stroke-width="1.6" stroke-dasharray="2 2"/><text x="142" y="4">p99</text>`,
    markers.length > 0
      ? `<line x1="180" x2="180" y1="-6" y2="6" stroke="#888" stroke-dasharray="1 3"/><text x="186" y="4">fault</text>`
      : "",
    "</g>",
    "</svg>",
  );
  return `${out.filter((l) => l !== "").join("\n")}\n`;
}

const fmt = (v: number) => (v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(0) : v.toFixed(1));
