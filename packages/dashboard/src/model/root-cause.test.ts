import { describe, expect, it } from "vitest";
import type { FailureRow } from "../api/schemas";
import { recoveredSpans } from "./recovered";
import { rootCauseSpan } from "./root-cause";
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
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

describe("rootCauseSpan", () => {
  // Step 1's tool failed and the agent went on; step 2's tool failed and took the run down.
  const tree = buildSpanTree([
    span({ span_id: "run", kind: "run", status: "error", started_at: at(0), duration_ms: 100 }),
    span({ span_id: "step1", parent_span_id: "run", started_at: at(1) }),
    span({ span_id: "flaky", kind: "tool", parent_span_id: "step1", status: "error", started_at: at(2) }),
    span({ span_id: "step2", parent_span_id: "run", status: "error", started_at: at(20) }),
    span({ span_id: "chain", kind: "other", parent_span_id: "step2", status: "error", started_at: at(21) }),
    span({ span_id: "broken", kind: "tool", parent_span_id: "chain", status: "error", started_at: at(22) }),
  ]);
  const recovered = recoveredSpans(tree, "error");

  it("is the deepest failing span of a failed run, not a failure it recovered from", () => {
    expect(rootCauseSpan(tree, [failure("run"), failure("step2"), failure("flaky")], recovered)).toBe(
      "broken",
    );
    expect(rootCauseSpan(tree, [], recovered)).toBe("broken");
  });

  it("is the root when nothing inside it failed", () => {
    const alone = buildSpanTree([
      span({ span_id: "run", kind: "run", status: "error" }),
      span({ span_id: "step", parent_span_id: "run" }),
    ]);
    expect(rootCauseSpan(alone, [failure("run")], recoveredSpans(alone, "error"))).toBe("run");
  });

  it("in an ok run, is the first failure it recovered from; null when nothing failed", () => {
    const okRun = buildSpanTree([
      span({ span_id: "run", kind: "run", started_at: at(0), duration_ms: 100 }),
      span({ span_id: "a", kind: "tool", parent_span_id: "run", status: "error", started_at: at(1) }),
      span({ span_id: "b", kind: "tool", parent_span_id: "run", status: "error", started_at: at(2) }),
    ]);
    expect(rootCauseSpan(okRun, [failure("b"), failure("a")], recoveredSpans(okRun, "ok"))).toBe("a");
    expect(rootCauseSpan(buildSpanTree([span({ span_id: "x" })]), [], new Set())).toBeNull();
  });
});
