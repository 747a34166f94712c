import { describe, expect, it } from "vitest";
import { formatAge, formatCost, formatDuration, formatRelative, formatTokens } from "./format";

describe("format", () => {
  it("shows small costs with their significant digits", () => {
    expect(formatCost(0.0012)).toBe("$0.0012");
    expect(formatCost(0.000021)).toBe("$0.000021");
    expect(formatCost(0.25)).toBe("$0.25");
    expect(formatCost(12.5)).toBe("$12.50");
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(null)).toBe("—");
  });

  it("formats durations and tokens", () => {
    expect(formatDuration(12.4)).toBe("12 ms");
    expect(formatDuration(1500)).toBe("1.50 s");
    expect(formatDuration(125_000)).toBe("2 m 5 s");
    expect(formatDuration(25 * 60_000 - 120)).toBe("25 m 0 s");
    expect(formatDuration(2 * 3_600_000 - 10_000)).toBe("2 h 0 m");
    expect(formatTokens(1200, 3)).toBe("1,200 in · 3 out");
    expect(formatTokens(null, null)).toBe("—");
  });

  it("says how long ago, coarsely", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    expect(formatAge(12_400)).toBe("12 s");
    expect(formatAge(3 * 60_000 + 5000)).toBe("3 min");
    expect(formatRelative("2026-12-04T11:55:00Z", now)).toBe("5 min ago");
    expect(formatRelative("2026-12-01T12:00:00Z", now)).toBe("3 d ago");
    expect(formatRelative(null, now)).toBe("—");
  });
});
