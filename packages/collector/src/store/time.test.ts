import { describe, expect, it } from "vitest";
import { nsToIso } from "./time.js";

describe("nsToIso", () => {
  it("matches Date#toISOString across minutes, epoch edges, pre-1970 and far-future times", () => {
    const samples = [
      0, 1, 999, 59_999, 60_000, 1_763_900_000_123, 1_763_900_059_999, 1_763_900_060_000, -1, -60_001,
      253_402_300_799_999, 253_402_300_800_000,
    ];
    for (let i = 0; i < 2_000; i++) samples.push(1_763_900_000_000 + i * 7_919);
    for (const ms of samples) {
      const ns = BigInt(ms) * 1_000_000n + 123_456n;
      expect(nsToIso(ns)).toBe(new Date(Number(ns / 1_000_000n)).toISOString());
    }
  });
});
