import { describe, expect, it } from "vitest";
import { mayStart, remainingMs, validateDeadline } from "./deadline.js";

describe("deadline", () => {
  it("computes the time left from a Date, epoch ms or a function", () => {
    expect(remainingMs(new Date(10_000), 4_000)).toBe(6_000);
    expect(remainingMs(10_000, 12_000)).toBe(-2_000);
    expect(remainingMs(() => 1_234)).toBe(1_234);
  });

  it("lets a step start only when it is expected to finish in time", () => {
    expect(mayStart(5_000, 4_000)).toBe(true);
    expect(mayStart(5_000, 5_000)).toBe(true);
    expect(mayStart(5_000, 5_001)).toBe(false);
    expect(mayStart(1, undefined)).toBe(true);
    expect(mayStart(0, undefined)).toBe(false);
  });

  it("rejects deadlines that are not a time or a function", () => {
    expect(() => validateDeadline(new Date("nope"))).toThrow(/deadline must be a Date/);
    expect(() => validateDeadline(Number.NaN)).toThrow(/deadline must be a Date/);
    expect(() => validateDeadline(() => 1)).not.toThrow();
  });
});
