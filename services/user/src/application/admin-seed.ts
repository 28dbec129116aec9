import { randomBytes } from "node:crypto";
import { type Logger, transaction, uuidv7 } from "@toko/kit";
import { sql } from "kysely";
import { emailProblem, normaliseEmail } from "../domain/email.ts";
import type { UserDeps } from "./deps.ts";

/** Why the configured admin account cannot be seeded (the message never contains the password). */
export class AdminSeedError extends Error {
  override name = "AdminSeedError";
}

/**
 * Makes sure an admin account exists at `email`.
 * - With a configured password: a new admin gets it; an admin still on a generated password
 *   gets it too. A password someone chose later (reset) is never overwritten.
 * - Without one: a new admin gets a random password nobody knows; the log says where to set it
 *   (TOKO_ADMIN_PASSWORD, or a password reset). The password itself is never logged.
 * An existing account that is not an admin is never promoted: anyone may have registered that
 * email first (a look-alike waiting for the role), and registering proves nothing about the
 * inbox. The seed logs an error and leaves the account as it is; the operator picks another
 * TOKO_ADMIN_EMAIL (or an admin grants the role deliberately).
 */
export async function seedAdmin(
  deps: UserDeps,
  logger: Logger,
  config: { email: string; password: string | undefined },
): Promise<void> {
  const email = normaliseEmail(config.email);
  const emailIssue = emailProblem(email);
  if (emailIssue) throw new AdminSeedError(`TOKO_ADMIN_EMAIL ${emailIssue}`);
  if (config.password !== undefined) {
    const problem = deps.policy.problem(config.password, email);
    if (problem) throw new AdminSeedError(`TOKO_ADMIN_PASSWORD ${problem}`);
  }
  const generated = config.password === undefined;
  const passwordHash = await deps.hasher.hash(config.password ?? randomBytes(32).toString("base64url"));
  const now = deps.clock();
  const outcome = await transaction(deps.db, async (trx) => {
    // Replicas starting together seed at once: the row lock below cannot serialise an insert of
    // a row that does not exist yet, so the seeders take turns on a lock of their own.
    await sql`SELECT pg_advisory_xact_lock(hashtext('toko.user.admin-seed'))`.execute(trx);
    const existing = await trx
      .selectFrom("users")
      .select(["id", "roles", "password_generated"])
      .where("email", "=", email)
      .forUpdate()
      .executeTakeFirst();
    if (!existing) {
      await trx
        .insertInto("users")
        .values({
          id: uuidv7(now.getTime()),
          email,
          email_verified: true,
          name: "Toko Admin",
          password_hash: passwordHash,
          password_generated: generated,
          roles: ["buyer", "admin"],
          created_at: now,
          updated_at: now,
        })
        .execute();
      return "created";
    }
    if (!existing.roles.includes("admin")) return "refused";
    const takePassword = !generated && existing.password_generated;
    if (!takePassword) return "kept";
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, password_generated: false, updated_at: now })
      .where("id", "=", existing.id)
      .execute();
    return "password set";
  });
  if (outcome === "refused") {
    logger.error(
      { admin_email: email, outcome },
      "TOKO_ADMIN_EMAIL belongs to an account registered by someone else; it was NOT made admin. Choose another TOKO_ADMIN_EMAIL and restart",
    );
    return;
  }
  const stillGenerated = generated && outcome === "created";
  logger.info(
    { admin_email: email, outcome },
    stillGenerated
      ? "admin account created with a random password; set TOKO_ADMIN_PASSWORD and restart, or request a password reset"
      : "admin account present",
  );
}
