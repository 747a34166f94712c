import { describe, expect, it } from "vitest";
import { formatCostWithUnknown } from "../format";
import { cumulativeTotals } from "./cumulative";
import { buildSpanTree, type SpanTree } from "./span-tree";
import { span } from "./test-spans";
import { buildTimeline } from "./timeline";

const totalsOf = (tree: SpanTree, nowMs = 0) => cumulativeTotals(tree, buildTimeline(tree, nowMs));

describe("cumulativeTotals", () => {
  it("names the models whose calls had no known price instead of counting them as free", () => {
    const tree = buildSpanTree([
      span({ span_id: "r", kind: "run", duration_ms: 1000 }),
      span({
        span_id: "priced",
        parent_span_id: "r",
        kind: "llm",
        model: "gpt-4o",
        started_at: "2026-01-01T00:00:00.100Z",
        cost_usd: 0.02,
      }),
      span({
        span_id: "unpriced",
        parent_span_id: "r",
        kind: "llm",
        model: "local-llama",
        started_at: "2026-01-01T00:00:00.200Z",
      }),
    ]);
    const totals = totalsOf(tree);
    expect(totals[1]).toMatchObject({ costUsd: 0.02, unpricedModels: [] });
    expect(totals[2]).toMatchObject({ costUsd: 0.02, unpricedModels: ["local-llama"] });
    expect(formatCostWithUnknown(totals[2]!.costUsd, totals[2]!.unpricedModels)).toEqual({
      text: "$0.02 + unknown",
      title: "No price known for local-llama",
    });
    expect(formatCostWithUnknown(0, ["local-llama"]).text).toBe("unknown");
  });

  it("adds up LLM tokens and cost frame by frame and tracks elapsed time", () => {
    const tree = buildSpanTree([
      span({
        span_id: "r",
        kind: "run",
        started_at: "2026-01-01T00:00:00.000Z",
        duration_ms: 1000,
        cost_usd: 9,
      }),
      span({
        span_id: "l1",
        parent_span_id: "r",
        kind: "llm",
        started_at: "2026-01-01T00:00:00.100Z",
        duration_ms: 100,
        input_tokens: 10,
        output_tokens: 5,
        cost_usd: 0.01,
      }),
      span({
        span_id: "t1",
        parent_span_id: "r",
        kind: "tool",
        status: "error",
        started_at: "2026-01-01T00:00:00.300Z",
        duration_ms: 50,
      }),
      span({
        span_id: "l2",
        parent_span_id: "r",
        kind: "llm",
        started_at: "2026-01-01T00:00:00.400Z",
        duration_ms: 100,
        input_tokens: 20,
        output_tokens: 7,
        cost_usd: 0.02,
      }),
    ]);
    const totals = totalsOf(tree);
    expect(totals.map((t) => t.costUsd)).toEqual([0, 0.01, 0.01, 0.03]);
    expect(totals[3]).toMatchObject({
      inputTokens: 30,
      outputTokens: 12,
      llmCalls: 2,
      toolCalls: 1,
      errors: 1,
    });
    // A container counts from its start; a call from its return.
    expect(totals.map((t) => t.elapsedMs)).toEqual([0, 200, 350, 500]);
  });

  it("elapsed time grows with the frames of a run whose root is still open", () => {
    const tree = buildSpanTree([
      span({ span_id: "r", kind: "run", status: "running", duration_ms: null }),
      span({ span_id: "a", parent_span_id: "r", started_at: "2026-01-01T00:00:00.100Z", duration_ms: 100 }),
      span({ span_id: "b", parent_span_id: "r", started_at: "2026-01-01T00:00:00.300Z", duration_ms: 100 }),
    ]);
    expect(totalsOf(tree, Date.parse("2026-01-01T00:00:01.000Z")).map((t) => t.elapsedMs)).toEqual([
      0, 200, 400,
    ]);
  });

  it("counts the time a resumed run was running, not the dead time before its resume", () => {
    const tree = buildSpanTree([
      span({
        span_id: "r1",
        kind: "run",
        attempt: 1,
        started_at: "2026-01-01T00:00:00.000Z",
        duration_ms: 300,
      }),
      span({
        span_id: "a",
        parent_span_id: "r1",
        attempt: 1,
        started_at: "2026-01-01T00:00:00.100Z",
        duration_ms: 100,
      }),
      span({
        span_id: "r2",
        kind: "run",
        attempt: 2,
        started_at: "2026-01-01T01:00:00.000Z",
        duration_ms: 300,
      }),
      span({
        span_id: "b",
        parent_span_id: "r2",
        attempt: 2,
        started_at: "2026-01-01T01:00:00.100Z",
        duration_ms: 100,
      }),
    ]);
    expect(totalsOf(tree).map((t) => t.elapsedMs)).toEqual([0, 200, 300, 500]);
  });
});
