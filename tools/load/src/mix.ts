/** What a virtual user does next; the weights are the share of iterations (they sum to 100). */
export type Action = "browse" | "search" | "cart" | "checkout" | "seller";

export const MIX: readonly { action: Action; weight: number }[] = [
  { action: "browse", weight: 60 },
  { action: "search", weight: 20 },
  { action: "cart", weight: 12 },
  { action: "checkout", weight: 5 },
  { action: "seller", weight: 3 },
];

/** A seeded generator (mulberry32): a run with the same seed makes the same choices. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an action by weight for `u` in [0, 1). */
export function pickAction(u: number, mix = MIX): Action {
  const total = mix.reduce((s, m) => s + m.weight, 0);
  let x = u * total;
  for (const m of mix) {
    if (x < m.weight) return m.action;
    x -= m.weight;
  }
  return mix[mix.length - 1]?.action ?? "browse";
}

/** Think time between actions: exponential around `meanMs`, capped at 4× the mean. */
export function thinkTime(u: number, meanMs: number): number {
  return Math.min(4 * meanMs, Math.abs(Math.log(1 - Math.min(u, 0.999999))) * meanMs);
}

/**
 * How many virtual users should be active `elapsedMs` into the run: a linear ramp to `users`
 * over `rampMs`, then all of them.
 */
export function activeUsers(elapsedMs: number, users: number, rampMs: number): number {
  if (rampMs <= 0 || elapsedMs >= rampMs) return users;
  return Math.max(1, Math.ceil((elapsedMs / rampMs) * users));
}
