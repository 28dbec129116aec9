import { setTimeout as sleep } from "node:timers/promises";
import { LauncherError } from "./manifest.ts";

/**
 * Polls `url` until it answers 200. Connection errors and other statuses mean "not yet";
 * the process may still be booting or restarting after a crash.
 */
export async function waitUntilReady(
  url: string,
  options: { timeoutMs: number; signal: AbortSignal; intervalMs?: number; what: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    options.signal.throwIfAborted();
    try {
      const res = await fetch(url, { signal: AbortSignal.any([options.signal, AbortSignal.timeout(2_000)]) });
      await res.body?.cancel();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      options.signal.throwIfAborted();
      last = (error as Error).message;
    }
    await sleep(options.intervalMs ?? 100, undefined, { signal: options.signal }).catch(() => {});
  }
  throw new LauncherError(`${options.what} was not ready within ${options.timeoutMs} ms (${url}: ${last})`);
}
