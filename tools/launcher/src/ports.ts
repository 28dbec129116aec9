import { createServer } from "node:net";
import { LauncherError } from "./manifest.ts";

/** A port the run will listen on, with what it is for and how to move it. */
export interface PlannedPort {
  port: number;
  label: string;
  hint: string;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE" || error.code === "EACCES") resolve(false);
      else reject(error);
    });
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Fails before anything starts when two processes would share a port or a port is taken,
 * so the user gets one clear line instead of a service crash-looping on EADDRINUSE.
 */
export async function checkPorts(ports: readonly PlannedPort[]): Promise<void> {
  const seen = new Map<number, string>();
  for (const p of ports) {
    const other = seen.get(p.port);
    if (other) throw new LauncherError(`port ${p.port} is planned twice: ${other} and ${p.label}`);
    seen.set(p.port, p.label);
  }
  for (const p of ports) {
    if (!(await isFree(p.port))) {
      throw new LauncherError(`port ${p.port} (${p.label}) is already in use; ${p.hint}`);
    }
  }
}
