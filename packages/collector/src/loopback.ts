import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Addresses only this machine can reach: 127.0.0.0/8 and ::1 (also written IPv4-mapped). */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** True for an IP address literal in 127.0.0.0/8 or ::1; false for anything else, names included. */
export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? "ipv4" : "ipv6");
}

export type Lookup = (host: string, options: { all: true }) => Promise<{ address: string }[]>;

export interface HostAddresses {
  /** Every address the host name resolves to (the literal itself for an IP address). */
  addresses: string[];
  /** True when every one of them is a loopback address. */
  loopback: boolean;
}

/**
 * Resolves a host to bind to, as listening would, and says whether only this machine can reach
 * it. Decided on the addresses, never on the name: `127.evil.example` may resolve anywhere.
 */
export async function resolveHost(host: string, lookup: Lookup = dnsLookup): Promise<HostAddresses> {
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (error) {
    throw new Error(`cannot resolve host "${host}": ${(error as Error).message}`, { cause: error });
  }
  if (addresses.length === 0) throw new Error(`cannot resolve host "${host}": no address`);
  return { addresses, loopback: addresses.every(isLoopbackAddress) };
}
