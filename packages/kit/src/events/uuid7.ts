import { randomBytes } from "node:crypto";

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids sort by creation time,
 * which keeps B-tree inserts local and makes event ids readable in order.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  // 48-bit big-endian millisecond timestamp; split because bit operators are 32-bit.
  const high = Math.floor(now / 2 ** 16);
  bytes.writeUInt32BE(high >>> 0, 0);
  bytes.writeUInt16BE(now % 2 ** 16, 4);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
