import { describe, expect, it } from "vitest";
import { compareHref, compareTargetFromSearch } from "./compare-url";

describe("compare URL", () => {
  it("round-trips two runs, and two attempts of one", () => {
    const runs = { a: { runId: "task 1/ok", attempt: null }, b: { runId: "task-2", attempt: null } };
    const attempts = { a: { runId: "task-3", attempt: 1 }, b: { runId: "task-3", attempt: 2 } };
    for (const target of [runs, attempts]) {
      const href = compareHref(target);
      expect(href.startsWith("/compare?")).toBe(true);
      expect(compareTargetFromSearch(new URL(href, "http://x").searchParams)).toEqual({
        target,
        problems: [],
      });
    }
  });

  it("names every missing or bad value instead of guessing", () => {
    expect(compareTargetFromSearch(new URLSearchParams("a=x&attemptB=two"))).toEqual({
      target: null,
      problems: [
        '"b" names no run: give two run IDs, ?a=<run ID>&b=<run ID>',
        '"attemptB" must be an attempt number (1, 2, …), got "two"',
      ],
    });
    expect(compareTargetFromSearch(new URLSearchParams("a=x&b=y&attemptA=0")).problems).toEqual([
      '"attemptA" must be an attempt number (1, 2, …), got "0"',
    ]);
  });
});
