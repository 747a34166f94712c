import { describe, expect, it } from "vitest";
import type { FailureRow } from "../api/schemas";
import { rootCauseIndex } from "./root-cause";
import { buildSpanTree } from "./span-tree";
import { span } from "./test-spans";

const failure = (span_id: string): FailureRow => ({
  run_id: "r",
  attempt: 1,
  span_id,
  step: null,
  kind: "tool",
  name: span_id,
  error_type: "Error",
  message: "boom",
  stack: null,
  input: null,
  context: null,
  ts: "2026-01-01T00:00:00.000Z",
  run_name: null,
});

describe("rootCauseIndex", () => {
  const tree = buildSpanTree([
    span({ span_id: "run", status: "error" }),
    span({ span_id: "ok-step", parent_span_id: "run", started_at: "2026-01-01T00:00:00.001Z" }),
    span({ span_id: "step", parent_span_id: "run", status: "error", started_at: "2026-01-01T00:00:00.002Z" }),
    span({
      span_id: "tool",
      parent_span_id: "step",
      status: "error",
      started_at: "2026-01-01T00:00:00.003Z",
    }),
  ]);

  it("picks the innermost failure, whatever order the failures come in", () => {
    expect(rootCauseIndex(tree, [failure("run"), failure("step"), failure("tool")])).toBe(3);
    expect(rootCauseIndex(tree, [failure("step"), failure("tool"), failure("run")])).toBe(3);
  });

  it("falls back to the first failure in frame order, and to null without failures", () => {
    expect(rootCauseIndex(tree, [failure("run"), failure("step")])).toBe(2);
    expect(rootCauseIndex(tree, [failure("elsewhere")])).toBeNull();
    expect(rootCauseIndex(tree, [])).toBeNull();
  });
});
