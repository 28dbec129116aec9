// A minimal service process for start-up tests: config, optional migrations, then startService.
import { z } from "zod";
import {
  createPool,
  env,
  implement,
  loadConfig,
  migrate,
  readMigrations,
  runMain,
  serviceEnvShape,
  startService,
} from "../../src/index.ts";
import { type EchoServiceServer, EchoServiceService } from "../gen/toko/kittest/v1/echo.ts";

const schema = z.object({
  ...serviceEnvShape,
  DATABASE_URL: env.postgresUrl(),
  MIGRATIONS_DIR: z.string().optional(),
});

// Parses config synchronously inside the start function, as services' main.ts files do, so a
// bad variable is thrown before any promise exists.
runMain("fixture", () => startFixture(loadConfig("fixture", schema)));

async function startFixture(config: z.infer<typeof schema>) {
  const pool = createPool({ url: config.DATABASE_URL, max: 2 });
  try {
    if (config.MIGRATIONS_DIR) await migrate(pool, readMigrations(config.MIGRATIONS_DIR));
    return await startService({
      name: "fixture",
      env: config,
      services: [
        implement<EchoServiceServer>(EchoServiceService, {
          echo: async (req) => ({ message: req.message }),
          slow: async (req) => ({ waitedMs: req.delayMs }),
          whoAmI: async () => ({ subject: "", roles: [], traceId: "", requestId: "" }),
        }),
      ],
      readiness: { database: () => pool.query("SELECT 1") },
      onShutdown: [() => pool.end()],
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
}
