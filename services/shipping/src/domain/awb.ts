/** How a carrier numbers its air waybills: a fixed prefix and random decimal digits. */
export interface AwbFormat {
  prefix: string;
  digits: number;
}

/** An air waybill number in the carrier's format from a source of random decimal digits. */
export function newAwb(format: AwbFormat, randomDigits: (count: number) => string): string {
  const digits = randomDigits(format.digits);
  if (!new RegExp(`^\\d{${format.digits}}$`).test(digits))
    throw new Error("random digits of the wrong shape");
  return `${format.prefix}${digits}`;
}

/** Whether `awb` has the carrier's format. */
export function matchesAwb(format: AwbFormat, awb: string): boolean {
  return (
    awb.startsWith(format.prefix) &&
    new RegExp(`^\\d{${format.digits}}$`).test(awb.slice(format.prefix.length))
  );
}
