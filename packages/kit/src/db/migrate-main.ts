// A cluster's migration Job (deploy/README.md, "Migrations"): `node --conditions=production
// /app/packages/kit/dist/db/migrate-main.js` in the image (this file, compiled), with SERVICE and
// DATABASE_URL; exits 0 once the database is up to date, 1 naming what failed.
import { runMigrationJob } from "./migration-job.ts";

try {
  await runMigrationJob();
} catch (error) {
  process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
