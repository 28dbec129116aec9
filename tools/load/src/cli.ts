// Entry point of `npm run load` and `npm run chaos` (the first argument says which).
import { main } from "./main.ts";

const [kind, ...rest] = process.argv.slice(2);
if (kind !== "load" && kind !== "chaos") {
  console.error("usage: cli.ts load|chaos [options]");
  process.exit(2);
}
process.exitCode = await main(kind, rest);
