import type { Logger } from "@toko/kit";
import type Provider from "oidc-provider";
import type { ProviderSlot } from "../http/oauth2-http-server.ts";
import type { KeySet, SigningKeyStore } from "../keys/signing-key-store.ts";

/**
 * Holds the provider built from the current key set and rebuilds it when the set changes
 * (a rotation here, or on another replica — noticed by polling). oidc-provider's keystore is
 * fixed per instance, so a new key means a new instance; all state is in PostgreSQL, so
 * swapping instances loses nothing.
 */
export class RotatingProvider implements ProviderSlot {
  private provider: Provider;
  private fingerprint: string;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly keys: SigningKeyStore,
    private readonly build: (keys: KeySet) => Provider,
    private readonly logger: Logger,
    initial: KeySet,
  ) {
    this.provider = build(initial);
    this.fingerprint = initial.fingerprint;
  }

  /** Loads the keys (creating the first one if needed) and builds the first provider. */
  static async create(
    keys: SigningKeyStore,
    build: (keys: KeySet) => Provider,
    logger: Logger,
  ): Promise<RotatingProvider> {
    await keys.ensureCurrent();
    return new RotatingProvider(keys, build, logger, await keys.load());
  }

  current(): Provider {
    return this.provider;
  }

  /** Rebuilds the provider if the published key set changed; returns whether it did. */
  async refresh(): Promise<boolean> {
    const next = await this.keys.load();
    if (next.fingerprint === this.fingerprint) return false;
    this.provider = this.build(next);
    this.fingerprint = next.fingerprint;
    this.logger.info({ kids: next.keys.map((k) => k.kid) }, "signing keys changed; provider rebuilt");
    return true;
  }

  /** Polls for rotations (and for retired keys passing out of retention). */
  startPolling(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.warn({ err: error }, "could not refresh signing keys"),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
