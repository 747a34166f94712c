import { tool } from "@langchain/core/tools";
import { Annotation, START, StateGraph } from "@langchain/langgraph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { traceLangGraph } from "./langgraph-tracing.js";

const State = Annotation.Root({ quarter: Annotation<string>(), notes: Annotation<string>() });

const archive = tool(
  async ({ quarter }): Promise<string> => {
    throw new RangeError(`no archive before 2020 (${quarter})`);
  },
  {
    name: "archive_lookup",
    description: "Archived notes of a quarter",
    schema: z.object({ quarter: z.string() }),
  },
);

/** A compiled graph used as the node "research" of another: its nodes are the subgraph's own. */
function researchGraph() {
  return new StateGraph(State)
    .addNode("outline", () => ({ notes: "outline" }))
    .addNode("lookup", async (s) => ({ notes: String(await archive.invoke({ quarter: s.quarter })) }))
    .addEdge(START, "outline")
    .addEdge("outline", "lookup")
    .compile();
}

describe("LangGraph.js subgraph traced by OpenInference → collector", () => {
  let collector: TestCollector;

  beforeAll(async () => {
    collector = await startTestCollector();
    const tracing = traceLangGraph(`${collector.server.url}/v1/traces`, "langgraph-agent");
    const graph = new StateGraph(State)
      .addNode("prepare", (s) => ({ quarter: s.quarter.toUpperCase() }))
      .addNode("research", researchGraph())
      .addEdge(START, "prepare")
      .addEdge("prepare", "research")
      .compile();
    await expect(graph.invoke({ quarter: "q1-2019" }, { runName: "historian" })).rejects.toThrow(RangeError);
    await tracing.stop();
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("counts the outer graph's nodes as steps, the subgraph's own nodes as spans of its step", () => {
    expect(collector.query("SELECT name, status, steps, current_step, current_step_name FROM runs")).toEqual([
      { name: "historian", status: "error", steps: 2, current_step: 2, current_step_name: "research" },
    ]);
    expect(
      collector.query("SELECT step_index, name FROM spans WHERE kind = 'step' ORDER BY step_index"),
    ).toEqual([
      { step_index: 1, name: "prepare" },
      { step_index: 2, name: "research" },
    ]);
    const inner = collector.query<{ name: string; kind: string }>(
      "SELECT name, kind FROM spans WHERE name IN ('outline', 'lookup')",
    );
    expect(inner.map((s) => s.kind)).toEqual(["other", "other"]);
  });

  it("places the failing tool inside the subgraph at the outer step that ran it, with its input", () => {
    const failure = collector.query(
      "SELECT step, error_type, message, input FROM failures WHERE name = 'archive_lookup'",
    );
    expect(failure).toEqual([
      { step: 2, error_type: "RangeError", message: "no archive before 2020 (Q1-2019)", input: '"Q1-2019"' },
    ]);
  });
});
