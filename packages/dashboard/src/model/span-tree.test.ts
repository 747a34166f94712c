import { describe, expect, it } from "vitest";
import { buildSpanTree } from "./span-tree";
import { span } from "./test-spans";

describe("buildSpanTree", () => {
  it("orders depth-first with children by start time and records depth", () => {
    const tree = buildSpanTree([
      span({ span_id: "r", kind: "run", started_at: "2026-01-01T00:00:00.000Z", duration_ms: 100 }),
      span({ span_id: "b", parent_span_id: "r", started_at: "2026-01-01T00:00:00.050Z" }),
      span({ span_id: "a", parent_span_id: "r", started_at: "2026-01-01T00:00:00.010Z" }),
      span({ span_id: "a1", parent_span_id: "a", started_at: "2026-01-01T00:00:00.020Z" }),
    ]);
    expect(tree.nodes.map((n) => [n.span.span_id, n.depth, n.index])).toEqual([
      ["r", 0, 0],
      ["a", 1, 1],
      ["a1", 2, 2],
      ["b", 1, 3],
    ]);
    expect(tree.byId.get("a")?.childCount).toBe(1);
    expect(tree.startMs).toBe(Date.parse("2026-01-01T00:00:00.000Z"));
  });

  it("keeps spans whose parent is missing as roots", () => {
    const tree = buildSpanTree([
      span({ span_id: "x", parent_span_id: "gone" }),
      span({ span_id: "y", parent_span_id: "x" }),
    ]);
    expect(tree.nodes.map((n) => [n.span.span_id, n.depth])).toEqual([
      ["x", 0],
      ["y", 1],
    ]);
  });

  it("treats a running span as open-ended and handles a deep chain without recursion", () => {
    const chain = Array.from({ length: 6000 }, (_, i) =>
      span({ span_id: `s${i}`, parent_span_id: i ? `s${i - 1}` : null }),
    );
    const tree = buildSpanTree(chain);
    expect(tree.nodes).toHaveLength(6000);
    expect(tree.nodes[5999]?.depth).toBe(5999);
    const running = buildSpanTree([
      span({ span_id: "r", status: "running", duration_ms: null, ended_at: null }),
    ]);
    expect(running.nodes[0]?.endMs).toBeNull();
  });

  it("is empty for no spans", () => {
    expect(buildSpanTree([])).toMatchObject({ nodes: [], startMs: 0, endMs: 0 });
  });
});
