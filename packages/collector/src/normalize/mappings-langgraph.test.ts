import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../domain.js";
import type { OtlpExportTraceRequest } from "../otlp/types.js";
import { normalizeRequest } from "./normalize-request.js";

/** A LangGraph.js run as OpenInference's LangChain instrumentation exported it (langgraph-agent.ts). */
const recorded = JSON.parse(
  readFileSync(new URL("../../test/fixtures/langgraph-sales-analyst.otlp.json", import.meta.url), "utf8"),
) as OtlpExportTraceRequest;

function normalized(): SpanRecord[] {
  const batch = normalizeRequest(recorded);
  expect(batch.rejected).toEqual([]);
  return batch.spans.sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
}

/** A CHAIN span carrying LangGraph's metadata, as OpenInference sends it. */
function chain(name: string, metadata: Record<string, unknown>): SpanRecord {
  const attributes = [
    { key: "openinference.span.kind", value: { stringValue: "CHAIN" } },
    { key: "metadata", value: { stringValue: JSON.stringify({ ls_integration: "langgraph", ...metadata }) } },
  ];
  const span = { traceId: "a".repeat(32), spanId: "b".repeat(16), name, startTimeUnixNano: "1", attributes };
  return normalizeRequest({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }).spans[0]!;
}

describe("LangGraph.js spans (OpenInference LangChain instrumentation)", () => {
  it("makes the graph the run, each node it ran a step at its super-step, and the rest plumbing", () => {
    expect(normalized().map((s) => [s.kind, s.name, s.stepIndex])).toEqual([
      ["run", "sales-analyst", null],
      ["other", "__start__", 0],
      ["step", "agent", 1],
      ["llm", "ChatOpenAI", 1],
      ["other", "RunnableLambda", 1], // the conditional edge's routing
      ["step", "tools", 2],
      ["tool", "sales_report", 2],
      ["tool", "forecast_revenue", 2],
      ["step", "agent", 3],
      ["llm", "ChatOpenAI", 3],
      ["other", "RunnableLambda", 3],
    ]);
    expect(normalized()[0]).toMatchObject({ runName: "sales-analyst", parentSpanId: null });
  });

  it("reads the model call's provider and model from LangChain's metadata", () => {
    const call = normalized().find((s) => s.kind === "llm")!;
    expect(call).toMatchObject({
      model: "gpt-4o-mini",
      provider: "openai",
      inputTokens: 100,
      outputTokens: 20,
    });
    expect(call.costUsd).toBeGreaterThan(0);
  });

  it("gives a tool its argument and its result, not the ToolMessage around it", () => {
    const report = normalized().find((s) => s.name === "sales_report")!;
    expect(report.input).toBe('"Q3"');
    expect(JSON.parse(report.output!)).toEqual({ quarter: "Q3", revenue: "-12%" });
  });

  it("splits the type and stack out of the failing tool's exception message", () => {
    const forecast = normalized().find((s) => s.name === "forecast_revenue")!;
    expect(forecast).toMatchObject({ status: "error", errorMessage: "no forecast for Q4" });
    expect(forecast.failure).toMatchObject({
      step: 2,
      errorType: "Error",
      message: "no forecast for Q4",
      input: '"Q4"',
    });
    expect(forecast.failure!.stack).toMatch(/^Error: no forecast for Q4\n {4}at tool\.name /);
  });

  it("keeps a subgraph's own nodes out of the steps, and the subgraph's node in them", () => {
    // Metadata as LangGraph 1.7 sets it for a compiled graph added as the node "research".
    const node = { langgraph_step: 2, langgraph_node: "research", langgraph_checkpoint_ns: "research:1" };
    expect(chain("research", node)).toMatchObject({ kind: "step", stepIndex: 2 });
    expect(chain("LangGraph", node)).toMatchObject({ kind: "other", stepIndex: 2 });
    const inner = {
      langgraph_step: 1,
      langgraph_node: "inner_a",
      langgraph_checkpoint_ns: "research:1|inner_a:2",
    };
    expect(chain("inner_a", inner)).toMatchObject({ kind: "other", stepIndex: null });
    expect(chain("__end__", { langgraph_step: 4, langgraph_node: "__end__" })).toMatchObject({
      kind: "other",
    });
    // A chain of plain LangChain, outside any graph, is plumbing too.
    expect(chain("RunnableSequence", { ls_integration: undefined })).toMatchObject({ kind: "other" });
  });
});
