import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createPool } from "@toko/kit";
import type { Fault } from "./schedule.ts";
import { platformProcesses, postmasterPid, type Stack, servicePids } from "./stack.ts";

/**
 * The sandbox payment provider's webhook calls go through this proxy (PAYMENT_WEBHOOK_URL), so
 * a fault can make the provider slow: each notification is held `delayMs` before it is passed on.
 * Past the sandbox's delivery timeout the provider gives up on that attempt and retries later.
 */
export class SlowProvider {
  private delayMs = 0;
  private until = 0;
  private server: Server | undefined;
  target = "";

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        if (Date.now() < this.until) await sleep(this.delayMs);
        const url = new URL(req.url ?? "/", this.target);
        const out = request(
          url,
          { method: req.method, headers: { ...req.headers, host: url.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        out.on("error", () => {
          res.writeHead(502);
          res.end();
        });
        out.end(Buffer.concat(chunks));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  slow(seconds: number, delayMs: number): void {
    this.delayMs = delayMs;
    this.until = Date.now() + seconds * 1000;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Carries out one fault on the running stack; the answer says what happened, for the report. */
export async function inject(fault: Fault, stack: Stack, provider: SlowProvider): Promise<string> {
  switch (fault.kind) {
    case "kill": {
      const pid = servicePids(stack.launcherPid).get(fault.service);
      if (pid === undefined) return `${fault.service} not running (restarting)`;
      return signal(pid, "SIGKILL") ? `killed pid ${pid}` : `pid ${pid} already gone`;
    }
    case "pause-postgres": {
      // The postmaster and every backend stop together, as a frozen VM or a stalled disk would.
      const master = postmasterPid(stack.launcherPid);
      if (master === undefined) return "no embedded PostgreSQL found";
      const pids = platformProcesses(master).map((p) => p.pid);
      for (const pid of pids) signal(pid, "SIGSTOP");
      await sleep(fault.seconds * 1000);
      for (const pid of platformProcesses(master).map((p) => p.pid)) signal(pid, "SIGCONT");
      for (const pid of pids) signal(pid, "SIGCONT");
      return `stopped ${pids.length} processes for ${fault.seconds} s`;
    }
    case "cut-bus": {
      // Every connection to the bus database is dropped at once; each service must reconnect.
      const pool = createPool({ url: stack.adminUrl, max: 1, applicationName: "toko-chaos" });
      try {
        const { rows } = await pool.query(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n
             FROM pg_stat_activity WHERE datname = 'bus' AND pid <> pg_backend_pid()`,
        );
        return `terminated ${rows[0]?.n ?? 0} bus connections`;
      } catch (error) {
        return `failed: ${(error as Error).message}`;
      } finally {
        await pool.end();
      }
    }
    case "slow-payments":
      provider.slow(fault.seconds, fault.delayMs);
      return `webhooks held ${fault.delayMs} ms for ${fault.seconds} s`;
  }
}
