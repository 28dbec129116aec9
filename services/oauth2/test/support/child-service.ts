import { type ServiceProcess, startServiceProcess } from "@toko/testing";

/**
 * A service as a real child process (`@toko/testing`'s `startServiceProcess`) that can be
 * stopped and started again with the same environment, so on the same ports: what the oauth2
 * restart test needs (its issuer, clients and tokens name those ports).
 */
export class ChildService {
  private current: ServiceProcess | undefined;
  private lastLogs = "";

  constructor(
    readonly name: string,
    private readonly dir: string,
    /** Must give GRPC_PORT and OPS_PORT (and HTTP_PORT for oauth2) so a restart reuses them. */
    readonly env: Record<string, string>,
  ) {}

  /** Starts the process and waits until `GET /readyz` on its ops port answers 200. */
  async start(): Promise<void> {
    if (this.current) throw new Error(`${this.name} is already running`);
    this.current = await startServiceProcess(this.dir, this.env);
  }

  /** SIGTERM and wait for the exit; returns the exit code (0 after a clean shutdown). */
  async stop(): Promise<number | null> {
    const stopping = this.current;
    if (!stopping) return null;
    this.current = undefined;
    const code = await stopping.stop();
    this.lastLogs = stopping.logs();
    return code;
  }

  /** The last lines the process printed (for failure messages). */
  logs(): string {
    return this.current?.logs() ?? this.lastLogs;
  }
}
