/** Polls `check` until it holds: tests wait for state, never for a fixed time. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Polls `probe` until it returns a value (undefined means not yet). A probe that throws counts
 * as not yet — a process still starting refuses connections — and its last error is reported
 * if the value never comes.
 */
export async function waitForValue<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`, lastError === undefined ? {} : { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
