import { BlockList, isIP } from "node:net";

/** Which socket peers may speak for the client in X-Forwarded-* (the gateway and nothing else). */
export interface TrustedPeers {
  has(address: string): boolean;
}

/**
 * Parses addresses and CIDRs (`127.0.0.1`, `::1`, `10.0.0.0/8`, `fd00::/8`). IPv4 peers reached
 * over an IPv6 socket (`::ffff:10.1.2.3`) match their IPv4 entry. Throws on anything else.
 */
export function trustedPeers(entries: readonly string[]): TrustedPeers {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits, extra] = entry.split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = family === 4 ? 32 : 128;
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 0 || prefix > max))
    ) {
      throw new Error(`"${entry}" is not an IP address or CIDR`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return {
    has(address) {
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
      const plain = mapped ?? address;
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? "ipv4" : "ipv6");
    },
  };
}
