import type { Clock, PaymentProvider, PaymentReads, SandboxControls, UnitOfWork } from "./ports.ts";

/** What the use cases need, wired by hand in start.ts (and in tests). */
export interface PaymentDeps {
  uow: UnitOfWork;
  reads: PaymentReads;
  provider: PaymentProvider;
  /** Null when the sandbox is off (production). */
  sandbox: SandboxControls | null;
  clock: Clock;
  newPaymentId: () => string;
}
