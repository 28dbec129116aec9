/** One bar of the sales chart. */
export interface DayTotal {
  date: string;
  amount: number;
}

/**
 * Sums completed-or-better orders' totals per UTC day for the `days` days ending `today`
 * (inclusive), days without sales included as zero, oldest first.
 */
export function dailySales(
  orders: readonly { created_at?: string; status: string; total: number }[],
  today: Date,
  days = 14,
): DayTotal[] {
  const counted = new Set(["PAID", "PROCESSING", "SHIPPED", "DELIVERED", "COMPLETED"]);
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const out: DayTotal[] = [];
  const index = new Map<string, DayTotal>();
  for (let i = days - 1; i >= 0; i--) {
    const date = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    const day = { date, amount: 0 };
    out.push(day);
    index.set(date, day);
  }
  for (const o of orders) {
    if (!o.created_at || !counted.has(o.status)) continue;
    const day = index.get(o.created_at.slice(0, 10));
    if (day) day.amount += o.total;
  }
  return out;
}

/** Bar rectangles in a `width`×`height` box; the tallest bar fills the height. */
export function bars(data: readonly DayTotal[], width: number, height: number) {
  const max = Math.max(1, ...data.map((d) => d.amount));
  const slot = data.length > 0 ? width / data.length : width;
  return data.map((d, i) => {
    const h = Math.round((d.amount / max) * height);
    return {
      x: Math.round(i * slot + slot * 0.15),
      y: height - h,
      width: Math.max(1, Math.round(slot * 0.7)),
      height: h,
      ...d,
    };
  });
}
