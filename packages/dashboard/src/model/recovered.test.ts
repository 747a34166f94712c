import { describe, expect, it } from "vitest";
import { recoveredSpans } from "./recovered";
import { buildSpanTree } from "./span-tree";
import { span } from "./test-spans";

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

describe("recoveredSpans", () => {
  it("marks a failure whose enclosing span ended ok, not the failures that took the run down", () => {
    const tree = buildSpanTree([
      span({ span_id: "run", kind: "run", status: "error", started_at: at(0), duration_ms: 100 }),
      span({ span_id: "tools", parent_span_id: "run", started_at: at(1) }),
      span({ span_id: "wrap", kind: "other", parent_span_id: "tools", status: "error", started_at: at(2) }),
      span({ span_id: "flaky", kind: "tool", parent_span_id: "wrap", status: "error", started_at: at(3) }),
      span({ span_id: "last", parent_span_id: "run", status: "error", started_at: at(20) }),
      span({ span_id: "broken", kind: "tool", parent_span_id: "last", status: "error", started_at: at(21) }),
    ]);
    expect([...recoveredSpans(tree, "error")].sort()).toEqual(["flaky", "wrap"]);
  });

  it("marks every failure of a run that ended ok, even one with no ok span around it", () => {
    const tree = buildSpanTree([
      span({ span_id: "tool", kind: "tool", status: "error" }),
      span({ span_id: "other-root", kind: "other", status: "error", parent_span_id: "gone" }),
    ]);
    expect([...recoveredSpans(tree, "ok")].sort()).toEqual(["other-root", "tool"]);
    expect(recoveredSpans(tree, "error").size).toBe(0);
  });

  it("never marks an interrupted span, nor a failure inside a span still running", () => {
    const tree = buildSpanTree([
      span({ span_id: "run", kind: "run", status: "running", duration_ms: null }),
      span({ span_id: "cut", parent_span_id: "run", status: "error", error: "interrupted: no heartbeat" }),
      span({ span_id: "failed", kind: "tool", parent_span_id: "run", status: "error" }),
    ]);
    expect(recoveredSpans(tree, "running").size).toBe(0);
    expect(recoveredSpans(tree, "interrupted").size).toBe(0);
  });
});
