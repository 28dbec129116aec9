// A cluster's migration Job (deploy/README.md, "Migrations"): `node --import tsx
// packages/kit/src/db/migrate-main.ts` with SERVICE and DATABASE_URL; exits 0 once the
// database is up to date, 1 naming what failed.
import { runMigrationJob } from "./migration-job.ts";

try {
  await runMigrationJob();
} catch (error) {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
