import { waitFor } from "@toko/testing";

/** Polls `check` until it holds; fails with `what` after `ms` (event tests allow longer than RPC tests). */
export function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  return waitFor(check, what, ms);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
