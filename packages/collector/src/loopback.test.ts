import { describe, expect, it } from "vitest";
import { isLoopbackAddress, type Lookup, resolveHost } from "./loopback.js";

/** Answers as a DNS server would for these names; any other name does not exist. */
const zone: Record<string, string[]> = {
  "127.evil.example": ["203.0.113.7"],
  "split.example": ["127.0.0.1", "198.51.100.1"],
  "local.example": ["127.0.0.1", "::1"],
  "empty.example": [],
};
const lookup: Lookup = async (host) => {
  const addresses = zone[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address }));
};

describe("loopback", () => {
  it("knows loopback addresses: all of 127.0.0.0/8 and ::1, also IPv4-mapped", () => {
    for (const address of ["127.0.0.1", "127.255.255.254", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of [
      "128.0.0.1",
      "0.0.0.0",
      "::",
      "::2",
      "10.0.0.1",
      "localhost",
      "127.evil.example",
      "",
    ])
      expect(isLoopbackAddress(address), address).toBe(false);
  });

  it("decides on every address a host resolves to, never on how its name starts", async () => {
    expect(await resolveHost("127.evil.example", lookup)).toEqual({
      addresses: ["203.0.113.7"],
      loopback: false,
    });
    expect((await resolveHost("split.example", lookup)).loopback).toBe(false);
    expect(await resolveHost("local.example", lookup)).toEqual({
      addresses: ["127.0.0.1", "::1"],
      loopback: true,
    });
    expect(await resolveHost("127.0.0.2", lookup)).toEqual({ addresses: ["127.0.0.2"], loopback: true });
    expect((await resolveHost("0.0.0.0", lookup)).loopback).toBe(false);
  });

  it("names a host that does not resolve", async () => {
    await expect(resolveHost("nowhere.example", lookup)).rejects.toThrow(
      /cannot resolve host "nowhere.example"/,
    );
    await expect(resolveHost("empty.example", lookup)).rejects.toThrow(/no address/);
  });

  it("resolves with the system resolver by default", async () => {
    expect((await resolveHost("localhost")).loopback).toBe(true);
  });
});
