/** The canonical form of an email address: trimmed, lower case, Unicode NFC. */
export function normaliseEmail(raw: string): string {
  return raw.trim().normalize("NFC").toLowerCase();
}

// Deliberately permissive (RFC 5322 allows far more than anyone types); the verification email
// is the real check. One "@", no spaces, a dot in the domain.
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/u;

/** A message describing why a normalised email is unacceptable, or undefined when it is fine. */
export function emailProblem(email: string): string | undefined {
  if (email === "") return "is required";
  if (email.length > 254) return "must be at most 254 characters";
  if (!EMAIL_PATTERN.test(email)) return "must be an email address such as budi@example.com";
  return undefined;
}
