// Indonesian mobile numbers: 08xx…, 628xx… or +628xx…, 9 to 13 digits after the "8".
const PHONE_PATTERN = /^(?:\+?62|0)(8[1-9]\d{6,11})$/;

/** An Indonesian phone number in E.164 form (+628…), or undefined when it is not one. */
export function normalisePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s().-]/g, "");
  const match = PHONE_PATTERN.exec(compact);
  return match ? `+62${match[1]}` : undefined;
}

export const PHONE_HINT = "must be an Indonesian phone number such as 0812-3456-7890";
