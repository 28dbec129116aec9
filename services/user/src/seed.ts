// `npm start` runs this after migrating, before the service starts (the launcher's seed hook).
// Development only (TOKO_ENV=development): the demo accounts the launcher prints — a buyer, the
// seller who owns a demo shop and the admin — with the passwords it generated (TOKO_DEMO_ACCOUNTS).
// Anywhere else it does nothing. Idempotent: a second run changes nothing.
import { createDb, createLogger, createPool } from "@toko/kit";
import { loadUserConfig } from "./config.ts";
import { demoAccountsSchema, seedDemoAccounts } from "./demo/demo-accounts.ts";
import { PasswordPolicy } from "./domain/password-policy.ts";
import { loadCommonPasswords } from "./infrastructure/common-passwords.ts";
import type { UserDatabase } from "./infrastructure/db-schema.ts";
import { createArgon2Hasher } from "./infrastructure/password-hasher.ts";

const config = loadUserConfig();
const logger = createLogger({ service: "user-seed", level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const raw = process.env.TOKO_DEMO_ACCOUNTS;
if (config.TOKO_ENV !== "development") {
  logger.info("not development (TOKO_ENV); no demo accounts");
} else if (!raw) {
  logger.info("TOKO_DEMO_ACCOUNTS is not set; no demo accounts");
} else {
  const accounts = demoAccountsSchema.parse(JSON.parse(raw));
  const pool = createPool({ url: config.DATABASE_URL, applicationName: "user-seed", max: 2 });
  try {
    await seedDemoAccounts(
      {
        db: createDb<UserDatabase>(pool),
        hasher: await createArgon2Hasher(),
        policy: new PasswordPolicy(loadCommonPasswords()),
        logger,
      },
      accounts,
    );
  } finally {
    await pool.end();
  }
}
