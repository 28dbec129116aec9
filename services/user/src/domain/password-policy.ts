import { normaliseEmail } from "./email.ts";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * The rules a new password must pass: length, not a well-known common password, not the
 * account's email or its local part. Length counts Unicode code points, so "kata sandi" in any
 * script is measured the way a person would count it.
 */
export class PasswordPolicy {
  constructor(private readonly common: ReadonlySet<string>) {}

  /** Why `password` is refused for the account `email`, or undefined when it is acceptable. */
  problem(password: string, email: string): string | undefined {
    const length = [...password].length;
    if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
    if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
    const folded = password.normalize("NFC").toLowerCase();
    if (this.common.has(folded)) return "is too common; choose a less predictable password";
    const normalisedEmail = normaliseEmail(email);
    const localPart = normalisedEmail.split("@")[0] ?? "";
    if (folded.trim() === normalisedEmail || (localPart !== "" && folded.trim() === localPart)) {
      return "must not be your email address";
    }
    return undefined;
  }
}
