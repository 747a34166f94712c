import { describe, expect, it } from "vitest";
import { buildSpanTree } from "./span-tree";
import { span } from "./test-spans";
import { buildTimeline } from "./timeline";
import { ancestorIds, searchSpans, waterfallRows } from "./waterfall-rows";

const at = (ms: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + ms).toISOString();

const tree = buildSpanTree([
  span({ span_id: "r1", kind: "run", attempt: 1, started_at: at(0), duration_ms: 300 }),
  span({ span_id: "fetch", parent_span_id: "r1", attempt: 1, started_at: at(10), duration_ms: 100 }),
  span({
    span_id: "llm",
    parent_span_id: "fetch",
    kind: "llm",
    model: "gpt-4o",
    attempt: 1,
    started_at: at(20),
  }),
  span({ span_id: "r2", kind: "run", attempt: 2, started_at: at(60_000), duration_ms: 300 }),
  span({
    span_id: "send",
    parent_span_id: "r2",
    attempt: 2,
    started_at: at(60_010),
    error: "SMTP 550",
    status: "error",
  }),
]);
const labels = (rows: ReturnType<typeof waterfallRows>["rows"]) =>
  rows.map((r) => (r.kind === "lane" ? `lane ${r.lane.attempt}` : r.node.span.span_id));

describe("waterfallRows", () => {
  it("heads each attempt's spans with its lane", () => {
    const { rows, rowOfNode } = waterfallRows(tree, buildTimeline(tree, 0), new Set());
    expect(labels(rows)).toEqual(["lane 1", "r1", "fetch", "llm", "lane 2", "r2", "send"]);
    expect([...rowOfNode]).toEqual([1, 2, 3, 5, 6]);
  });

  it("draws no lane for a run of one attempt", () => {
    const one = buildSpanTree(tree.nodes.slice(0, 3).map((n) => n.span));
    expect(labels(waterfallRows(one, buildTimeline(one, 0), new Set()).rows)).toEqual(["r1", "fetch", "llm"]);
  });

  it("hides a collapsed span's subtree and points its frames at the collapsed row", () => {
    const { rows, rowOfNode } = waterfallRows(tree, buildTimeline(tree, 0), new Set(["r1"]));
    expect(labels(rows)).toEqual(["lane 1", "r1", "lane 2", "r2", "send"]);
    expect([...rowOfNode]).toEqual([1, 1, 1, 3, 4]);
  });

  it("ignores collapsing a span without children", () => {
    const { rows } = waterfallRows(tree, buildTimeline(tree, 0), new Set(["llm"]));
    expect(labels(rows)).toContain("llm");
  });
});

describe("searchSpans and ancestorIds", () => {
  it("finds spans by name, model or error, and the way to them", () => {
    expect(searchSpans(tree, "GPT")).toEqual([2]);
    expect(searchSpans(tree, "smtp")).toEqual([4]);
    expect(searchSpans(tree, "  ")).toEqual([]);
    expect(ancestorIds(tree, tree.byId.get("llm")!)).toEqual(["fetch", "r1"]);
  });
});
