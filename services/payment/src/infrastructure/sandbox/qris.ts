/**
 * A QRIS payload (EMVCo merchant-presented QR): tag-length-value fields ending with a CRC-16
 * (CCITT-FALSE) over everything before it, tag and length of the CRC included.
 */
function tlv(tag: string, value: string): string {
  if (value.length > 99) throw new RangeError(`QR field ${tag} is longer than 99 characters`);
  return `${tag}${String(value.length).padStart(2, "0")}${value}`;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as four upper-case hex digits. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, "utf8")) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, "0");
}

/** A dynamic (single-use, amount included) QRIS payload for one charge. */
export function qrisPayload(input: {
  acquirer: string;
  reference: string;
  amount: number;
  merchant: string;
  city: string;
}): string {
  const body =
    tlv("00", "01") +
    tlv("01", "12") +
    tlv("26", tlv("00", input.acquirer) + tlv("01", input.reference)) +
    tlv("52", "5399") +
    tlv("53", "360") +
    tlv("54", String(input.amount)) +
    tlv("58", "ID") +
    tlv("59", input.merchant.slice(0, 25)) +
    tlv("60", input.city.slice(0, 15)) +
    tlv("62", tlv("05", input.reference));
  const withCrcTag = `${body}6304`;
  return withCrcTag + crc16(withCrcTag);
}
