import { createArgon2Hasher, type PasswordHasher } from "../src/infrastructure/password-hasher.ts";

/**
 * The real argon2 hasher, instrumented: counts verifications in flight and can hold each one
 * until `gate` of them are in flight at once (or `gateTimeoutMs` passes, so code that
 * serialises them still finishes and fails the test's overlap assertion rather than hanging).
 */
export class CountingHasher implements PasswordHasher {
  inFlight = 0;
  maxInFlight = 0;
  /** Verifications to wait for before any proceeds; 1 = no waiting. */
  gate = 1;
  gateTimeoutMs = 5_000;
  /** Called before hashing a candidate; a test may delay one password until the database says so. */
  hold: (password: string) => Promise<void> = async () => {};
  private waiters: (() => void)[] = [];

  private constructor(private readonly real: PasswordHasher) {}

  static async create(): Promise<CountingHasher> {
    return new CountingHasher(await createArgon2Hasher());
  }

  /** Clears the counters and gate between tests. */
  reset(): void {
    this.maxInFlight = 0;
    this.gate = 1;
    this.hold = async () => {};
  }

  hash(password: string): Promise<string> {
    return this.real.hash(password);
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.track(password, () => this.real.verify(hash, password));
  }

  verifyDummy(password: string): Promise<void> {
    return this.track(password, () => this.real.verifyDummy(password));
  }

  private async track<T>(password: string, run: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.waitForGate();
      await this.hold(password);
      return await run();
    } finally {
      this.inFlight -= 1;
    }
  }

  private async waitForGate(): Promise<void> {
    if (this.inFlight >= this.gate) {
      for (const wake of this.waiters.splice(0)) wake();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.gateTimeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
