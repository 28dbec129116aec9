// The launcher proper, forked by main.ts into its own process group: a terminal's Ctrl-C goes
// to main.ts alone, which forwards it here once, so services stop in order and PostgreSQL last.
import { runCommand } from "./cli.ts";
import { runLauncher } from "./launcher.ts";

const stop = new AbortController();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop.abort());
// main.ts died without forwarding a signal (SIGKILL): nobody is watching, so shut down.
process.on("disconnect", () => stop.abort());
process.channel?.unref();

await runCommand((config, output) => runLauncher(config, output, stop.signal));
