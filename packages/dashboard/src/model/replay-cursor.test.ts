import { describe, expect, it } from "vitest";
import {
  clampCursor,
  cursorFromSearch,
  cursorProblem,
  nextPlayCursor,
  playInterval,
  searchForCursor,
} from "./replay-cursor";
import { buildSpanTree } from "./span-tree";
import { span } from "./test-spans";

const tree = buildSpanTree([
  span({ span_id: "r", kind: "run" }),
  span({ span_id: "a", parent_span_id: "r", started_at: "2026-01-01T00:00:00.001Z", step_index: 1 }),
  span({ span_id: "b", parent_span_id: "r", started_at: "2026-01-01T00:00:00.002Z", step_index: 2 }),
  span({
    span_id: "b-llm",
    parent_span_id: "b",
    kind: "llm",
    started_at: "2026-01-01T00:00:00.003Z",
    step_index: 2,
  }),
]);

describe("replay cursor", () => {
  it("reads the span ID first, then the step number (the step's frame, not frame n), else starts at 0", () => {
    expect(cursorFromSearch(new URLSearchParams("span=b&step=1"), tree)).toBe(2);
    expect(cursorFromSearch(new URLSearchParams("span=unknown&step=1"), tree)).toBe(1);
    expect(cursorFromSearch(new URLSearchParams("step=2"), tree)).toBe(2);
    expect(cursorFromSearch(new URLSearchParams("step=99"), tree)).toBe(0);
    expect(cursorFromSearch(new URLSearchParams("step=abc"), tree)).toBe(0);
    expect(cursorFromSearch(new URLSearchParams(""), buildSpanTree([]))).toBe(0);
  });

  it("says when the URL names a span or step the run does not have", () => {
    expect(cursorProblem(new URLSearchParams("span=b"), tree)).toBeNull();
    expect(cursorProblem(new URLSearchParams("step=2"), tree)).toBeNull();
    expect(cursorProblem(new URLSearchParams("span=nope"), tree)).toContain('no span "nope"');
    expect(cursorProblem(new URLSearchParams("step=9"), tree)).toContain('no step "9"');
    expect(cursorProblem(new URLSearchParams("step=x"), tree)).toContain('no step "x"');
  });

  it("writes the span ID and keeps other parameters", () => {
    const next = searchForCursor(new URLSearchParams("step=1&speed=2"), tree, 5);
    expect(next.toString()).toBe("speed=2&span=b-llm");
  });

  it("clamps and steps", () => {
    expect(clampCursor(-3, 3)).toBe(0);
    expect(clampCursor(7, 3)).toBe(2);
    expect(clampCursor(1, 0)).toBe(0);
    expect(nextPlayCursor(1, 3)).toBe(2);
    expect(nextPlayCursor(2, 3)).toBeNull();
    expect(playInterval(2)).toBe(500);
    expect(playInterval(0)).toBe(1000);
  });
});
