import { randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Length of generated codes: 62^7 ≈ 3.5e12 codes, so retries on collision stay rare. */
export const GENERATED_CODE_LENGTH = 7;

/** A uniformly random base62 code from the CSPRNG (randomInt avoids modulo bias). */
export function randomCode(length = GENERATED_CODE_LENGTH): string {
  let code = "";
  for (let i = 0; i < length; i++) code += BASE62.charAt(randomInt(BASE62.length));
  return code;
}

const CODE_SHAPE = /^[A-Za-z0-9_-]{1,32}$/;

/** Whether a string could be a code at all; anything else is unknown without asking the database. */
export function isCodeShaped(code: string): boolean {
  return CODE_SHAPE.test(code);
}
