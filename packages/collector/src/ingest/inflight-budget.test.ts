import { describe, expect, it } from "vitest";
import { InflightBudget } from "./inflight-budget.js";
import { QueueFullError } from "./write-queue.js";

describe("InflightBudget", () => {
  it("holds what each body has grown to, and gives it back once", () => {
    const budget = new InflightBudget(100);
    const a = budget.claim();
    const b = budget.claim();
    expect(budget.bodies).toBe(2);
    a.grow(30);
    b.grow(50);
    a.grow(20); // never shrinks
    expect(budget.bytes).toBe(80);
    a.release();
    a.release();
    expect(budget.bytes).toBe(50);
    expect(budget.bodies).toBe(1);
  });

  it("refuses growth past the limit while other bodies hold bytes, but lets one body alone pass it", () => {
    const budget = new InflightBudget(100);
    const alone = budget.claim();
    alone.grow(250);
    expect(budget.isExhausted()).toBe(true);
    alone.release();
    const a = budget.claim();
    const b = budget.claim();
    a.grow(60);
    expect(() => b.grow(41)).toThrow(QueueFullError);
    b.grow(40);
    expect(budget.bytes).toBe(100);
    expect(budget.isExhausted()).toBe(true);
  });

  it("refuses a limit that is not positive", () => {
    expect(() => new InflightBudget(0)).toThrow(/maxBytes must be positive/);
  });
});
