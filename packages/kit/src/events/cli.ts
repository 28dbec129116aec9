// Operator CLI for a service's dead letters:
//   DATABASE_URL=postgres://… node --import tsx packages/kit/src/events/cli.ts dead-letters list [group]
//   DATABASE_URL=postgres://… node --import tsx packages/kit/src/events/cli.ts dead-letters redrive <id>
import { z } from "zod";
import { env, loadConfig } from "../config/config.ts";
import { createPool } from "../db/database.ts";
import { createDeadLetterStore } from "./dead-letters.ts";

const usage = "usage: cli.ts dead-letters list [group] | dead-letters redrive <id>   (DATABASE_URL=…)";
const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(args: string[]): Promise<number> {
  const [topic, command, arg] = args;
  if (topic !== "dead-letters" || (command !== "list" && command !== "redrive")) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const config = loadConfig("dead-letters-cli", z.object({ DATABASE_URL: env.postgresUrl() }));
  const pool = createPool({ url: config.DATABASE_URL, max: 1, applicationName: "dead-letters-cli" });
  const store = createDeadLetterStore(pool);
  try {
    if (command === "list") {
      let afterId: number | undefined;
      let total = 0;
      do {
        const page = await store.list({ group: arg, limit: 100, afterId });
        for (const d of page.items) {
          out(
            [
              d.id,
              d.status,
              d.group,
              d.type,
              d.subject,
              d.eventId,
              `attempts=${d.attempts}`,
              d.updatedAt.toISOString(),
              d.error,
            ].join("\t"),
          );
        }
        total += page.items.length;
        afterId = page.nextAfterId;
      } while (afterId !== undefined);
      out(`${total} dead letter(s)`);
      return 0;
    }
    const id = Number(arg);
    if (!Number.isSafeInteger(id) || id <= 0) {
      process.stderr.write(`redrive needs a dead letter id\n${usage}\n`);
      return 2;
    }
    const letter = await store.redrive(id);
    out(`dead letter ${letter.id} (${letter.type} for ${letter.group}) queued for redrive`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main(process.argv.slice(2));
