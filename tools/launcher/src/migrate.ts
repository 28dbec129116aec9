// `npm run migrate`: creates and migrates every service's database (embedded PostgreSQL or
// TOKO_POSTGRES_URL), then exits. Same options as `npm start`.
import { runCommand } from "./cli.ts";
import { prepareDatabases } from "./databases.ts";
import { plan, startPostgres } from "./launcher.ts";

await runCommand(async (config, output) => {
  const specs = await plan(config, { servicePorts: false });
  const pg = await startPostgres(config, output);
  try {
    await prepareDatabases(pg.adminUrl, specs, config.root, output);
    output.info(
      `migrated ${specs.filter((s) => s.database).length} service database(s) and the bus database`,
    );
    return 0;
  } finally {
    await pg.stop();
  }
});
