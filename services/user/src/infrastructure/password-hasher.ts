import { hash, verify } from "@node-rs/argon2";

// Algorithm.Argon2id (2): the package exports it as a const enum, which verbatimModuleSyntax cannot import.
const ARGON2ID = 2;

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes and checks passwords; the only place that sees them besides the policy. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same effort as `verify` on a real hash, for emails that do not exist. */
  verifyDummy(password: string): Promise<void>;
}

/** The argon2id hasher. Creating it hashes one random value so unknown emails cost the same. */
export async function createArgon2Hasher(): Promise<PasswordHasher> {
  const dummy = await hash(crypto.randomUUID(), OPTIONS);
  return {
    hash: (password) => hash(password, OPTIONS),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        // A malformed stored hash is a failed check, never a crash.
        return false;
      }
    },
    async verifyDummy(password) {
      await verify(dummy, password).catch(() => false);
    },
  };
}
