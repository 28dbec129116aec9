import { errors, type FieldViolation, type Principal, sql, transaction, uuidv7 } from "@toko/kit";
import { emailProblem, normaliseEmail } from "../domain/email.ts";
import { checkName, checkOptionalPhone } from "../domain/profile.ts";
import { isGrantableRole, mayGrant } from "../domain/roles.ts";
import { userEvents } from "../infrastructure/user-events.ts";
import { isAdmin, isId, isService, mayReadUser, requireUserId } from "./caller.ts";
import type { UserDeps } from "./deps.ts";
import { issueToken, tokenDelivery } from "./tokens-store.ts";
import { toUserView, USER_COLUMNS, type UserView } from "./user-view.ts";

export interface Registration {
  email: string;
  password: string;
  name: string;
  phone: string;
}

/** Registration, profile reads and changes, and roles. */
export class Accounts {
  constructor(private readonly deps: UserDeps) {}

  /** Creates a buyer account; publishes UserRegistered and the first verification email. */
  async register(input: Registration): Promise<UserView> {
    const email = normaliseEmail(input.email);
    const violations: FieldViolation[] = [];
    const emailIssue = emailProblem(email);
    if (emailIssue) violations.push({ field: "email", message: emailIssue });
    const name = checkName(input.name);
    if (name.violation) violations.push(name.violation);
    const phone = checkOptionalPhone(input.phone);
    if (phone.violation) violations.push(phone.violation);
    const passwordIssue = this.deps.policy.problem(input.password, email);
    if (passwordIssue) violations.push({ field: "password", message: passwordIssue });
    if (violations.length > 0) throw errors.invalid("the registration is not valid", violations);

    const passwordHash = await this.deps.hasher.hash(input.password);
    const now = this.deps.clock();
    const { settings } = this.deps;
    return transaction(this.deps.db, async (trx) => {
      const row = await trx
        .insertInto("users")
        .values({
          id: uuidv7(now.getTime()),
          email,
          name: name.value,
          phone: phone.value,
          password_hash: passwordHash,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column("email").doNothing())
        .returning(USER_COLUMNS)
        .executeTakeFirst();
      if (!row) throw errors.conflict("EMAIL_TAKEN", "an account with this email already exists");
      const user = toUserView(row);
      const expiresAt = new Date(now.getTime() + settings.verifyEmailTtlMs);
      const token = await issueToken(trx, user.id, "verify_email", now, expiresAt);
      const delivery = tokenDelivery(settings, "/verify-email", "verify_email", user.id, token);
      await this.deps.outbox.add(trx, [
        userEvents.registered(user),
        userEvents.emailVerificationRequested(user, delivery, expiresAt),
      ]);
      return user;
    });
  }

  /** A user by id for that user, an admin or a service; NOT_FOUND for anyone else. */
  async getUser(principal: Principal | undefined, userId: string): Promise<UserView> {
    if (!principal) throw errors.unauthenticated();
    if (!isId(userId) || !mayReadUser(principal, userId)) throw errors.notFound("user");
    return this.load(userId);
  }

  /** The calling user's own profile. */
  getMe(principal: Principal | undefined): Promise<UserView> {
    return this.load(requireUserId(principal));
  }

  /** Changes the caller's name and/or phone; unset fields are kept. */
  async updateProfile(
    principal: Principal | undefined,
    changes: { name?: string | undefined; phone?: string | undefined },
  ): Promise<UserView> {
    const userId = requireUserId(principal);
    const violations: FieldViolation[] = [];
    const set: { name?: string; phone?: string; updated_at: Date } = { updated_at: this.deps.clock() };
    if (changes.name !== undefined) {
      const name = checkName(changes.name);
      if (name.violation) violations.push(name.violation);
      set.name = name.value;
    }
    if (changes.phone !== undefined) {
      const phone = checkOptionalPhone(changes.phone);
      if (phone.violation) violations.push(phone.violation);
      set.phone = phone.value;
    }
    if (violations.length > 0) throw errors.invalid("the profile is not valid", violations);
    const row = await this.deps.db
      .updateTable("users")
      .set(set)
      .where("id", "=", userId)
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    if (!row) throw errors.notFound("user");
    return toUserView(row);
  }

  /** Adds `seller` (services, admins) or `admin` (admins) to a user; idempotent. */
  async grantRole(principal: Principal | undefined, userId: string, role: string): Promise<UserView> {
    if (!principal) throw errors.unauthenticated();
    if (!isGrantableRole(role)) {
      throw errors.invalid("unknown role", [{ field: "role", message: 'must be "seller" or "admin"' }]);
    }
    if (!mayGrant(role, { isAdmin: isAdmin(principal), isService: isService(principal) })) {
      throw errors.forbidden(`granting ${role} is not allowed for this caller`);
    }
    if (!isId(userId)) throw errors.notFound("user");
    await this.deps.db
      .updateTable("users")
      .set((eb) => ({ roles: eb.fn("array_append", ["roles", eb.val(role)]), updated_at: this.deps.clock() }))
      .where("id", "=", userId)
      .where(sql<boolean>`NOT (${role}::text = ANY(roles))`)
      .execute();
    return this.load(userId);
  }

  private async load(userId: string): Promise<UserView> {
    const row = await this.deps.db
      .selectFrom("users")
      .select(USER_COLUMNS)
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!row) throw errors.notFound("user");
    return toUserView(row);
  }
}
