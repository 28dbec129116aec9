import { type Logger, transaction, uuidv7 } from "@toko/kit";
import type { Kysely } from "kysely";
import { z } from "zod";
import { emailProblem, normaliseEmail } from "../domain/email.ts";
import type { PasswordPolicy } from "../domain/password-policy.ts";
import type { UserDatabase } from "../infrastructure/db-schema.ts";
import type { PasswordHasher } from "../infrastructure/password-hasher.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** TOKO_DEMO_ACCOUNTS as the launcher writes it (development only). */
export const demoAccountsSchema = z.array(
  z.object({
    /** Fixed for the buyer and the seller (the seller's owns a demo shop); the admin has none. */
    id: z.string().regex(UUID).optional(),
    email: z.string(),
    name: z.string().min(1).max(100),
    password: z.string(),
    roles: z.array(z.enum(["buyer", "seller", "admin"])).min(1),
  }),
);
export type DemoAccountInput = z.infer<typeof demoAccountsSchema>[number];

export type DemoOutcome = "created" | "kept" | "updated" | "refused";

/**
 * Makes each demo account exist with the password the launcher printed: created when missing
 * (email verified), its password and roles brought back to the printed ones when changed. Run
 * twice, the second run changes nothing. Never promotes an account someone else registered to
 * admin, and never takes over an email that belongs to an account other than the demo one
 * (the launcher's printed password then does not work, and the log says why).
 */
export async function seedDemoAccounts(
  deps: { db: Kysely<UserDatabase>; hasher: PasswordHasher; policy: PasswordPolicy; logger: Logger },
  accounts: readonly DemoAccountInput[],
): Promise<Record<string, DemoOutcome>> {
  // Every account is checked before any is written.
  const checked = accounts.map((account) => {
    const email = normaliseEmail(account.email);
    const issue = emailProblem(email) ?? deps.policy.problem(account.password, email);
    if (issue) throw new Error(`demo account ${email}: ${issue}`);
    return { ...account, email };
  });
  const outcomes: Record<string, DemoOutcome> = {};
  for (const account of checked) {
    const outcome = await seedOne(deps, account);
    outcomes[account.email] = outcome;
    if (outcome === "refused") {
      deps.logger.error(
        { email: account.email },
        "the demo account's email belongs to another account; it was left as it is and the printed password does not work for it",
      );
    }
  }
  deps.logger.info({ outcomes }, "demo accounts present");
  return outcomes;
}

async function seedOne(
  deps: { db: Kysely<UserDatabase>; hasher: PasswordHasher },
  account: DemoAccountInput,
): Promise<DemoOutcome> {
  // Hash outside the transaction (argon2 takes a while); only used when something must change.
  let hashed: string | undefined;
  const hash = async () => {
    hashed ??= await deps.hasher.hash(account.password);
    return hashed;
  };
  for (;;) {
    const existing = await findAccount(deps.db, account);
    if (existing === "taken") return "refused";
    if (!existing) {
      const passwordHash = await hash();
      const created = await transaction(deps.db, async (trx) => {
        const now = new Date();
        const inserted = await trx
          .insertInto("users")
          .values({
            id: account.id ?? uuidv7(now.getTime()),
            email: account.email,
            email_verified: true,
            name: account.name,
            password_hash: passwordHash,
            password_generated: false,
            roles: account.roles,
            created_at: now,
            updated_at: now,
          })
          .onConflict((c) => c.doNothing())
          .executeTakeFirst();
        return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
      });
      if (created) return "created";
      continue; // someone else inserted it meanwhile: look again
    }
    // An account that is not an admin is never made one here (see admin-seed.ts).
    if (account.roles.includes("admin") && !existing.roles.includes("admin")) return "refused";
    const roles = [...new Set([...existing.roles, ...account.roles])];
    const passwordOk = await deps.hasher.verify(existing.password_hash, account.password);
    if (passwordOk && roles.length === existing.roles.length) return "kept";
    const passwordHash = passwordOk ? existing.password_hash : await hash();
    await deps.db
      .updateTable("users")
      .set({ password_hash: passwordHash, password_generated: false, roles, updated_at: new Date() })
      .where("id", "=", existing.id)
      .execute();
    return "updated";
  }
}

/** The demo account's row; "taken" when its email belongs to another account. */
async function findAccount(db: Kysely<UserDatabase>, account: DemoAccountInput) {
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "roles", "password_hash"])
    .where((eb) =>
      account.id
        ? eb.or([eb("id", "=", account.id), eb("email", "=", account.email)])
        : eb("email", "=", account.email),
    )
    .execute();
  if (!account.id) return rows[0];
  const own = rows.find((r) => r.id === account.id);
  if (own) return own;
  return rows.length > 0 ? ("taken" as const) : undefined;
}
