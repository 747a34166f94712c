import { priceUsage } from "@flightrec/sdk/pricing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { QUESTION, salesAgent } from "./langgraph-agent.js";
import { traceLangGraph } from "./langgraph-tracing.js";
import { SCRIPTED_USAGE, type ScriptedChatServer, startScriptedChatServer } from "./scripted-chat-server.js";

interface Run {
  run_id: string;
  name: string;
  status: string;
  steps: number;
  current_step: number | null;
  current_step_name: string | null;
  error: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

describe("LangGraph.js traced by OpenInference → OTLP/protobuf → collector", () => {
  let collector: TestCollector;
  let llm: ScriptedChatServer;
  let thrown: unknown;

  beforeAll(async () => {
    collector = await startTestCollector();
    // The model asks for both tools at once; forecast_revenue throws.
    llm = await startScriptedChatServer([
      { name: "sales_report", arguments: { quarter: "Q3" } },
      { name: "forecast_revenue", arguments: { quarter: "Q4" } },
    ]);
    const tracing = traceLangGraph(`${collector.server.url}/v1/traces`, "langgraph-agent");
    const baseURL = `${llm.url}/v1`;
    // The tools node turns the error into a message for the model, which answers anyway.
    await salesAgent({ baseURL, handleToolErrors: true }).invoke(
      { messages: [QUESTION] },
      { runName: "sales-analyst" },
    );
    // Here the error leaves the tools node and ends the graph.
    thrown = await salesAgent({ baseURL, handleToolErrors: false })
      .invoke({ messages: [QUESTION] }, { runName: "strict-analyst" })
      .catch((error: unknown) => error);
    await tracing.stop();
  });
  afterAll(async () => {
    await llm?.close();
    await collector?.stop();
  });

  const run = (name: string) => collector.query<Run>("SELECT * FROM runs WHERE name = ?", name)[0]!;
  const spans = (runName: string, kind: string) =>
    collector.query<Record<string, unknown>>(
      `SELECT name, step_index, model, provider, input_tokens, output_tokens, cost_usd, input, output, status
       FROM spans WHERE run_id = ? AND kind = ? ORDER BY start_ns, name`,
      run(runName).run_id,
      kind,
    );
  const failures = (runName: string) =>
    collector.query<Record<string, unknown>>(
      "SELECT kind, name, step, error_type, message, stack, input FROM failures WHERE run_id = ? ORDER BY ts_ns",
      run(runName).run_id,
    );
  const gpt4oMiniCall = priceUsage({
    provider: "openai",
    model: "gpt-4o-mini",
    inputTokens: SCRIPTED_USAGE.prompt_tokens,
    outputTokens: SCRIPTED_USAGE.completion_tokens,
  }).costUsd!;

  it("names each run by the runName it was invoked with, one run a graph invocation", () => {
    expect(collector.query("SELECT name FROM runs ORDER BY started_at")).toEqual([
      { name: "sales-analyst" },
      { name: "strict-analyst" },
    ]);
  });

  it("makes each node the graph ran a step, numbered by its super-step", () => {
    expect(run("sales-analyst")).toMatchObject({ steps: 3 });
    expect(spans("sales-analyst", "step").map((s) => [s.step_index, s.name])).toEqual([
      [1, "agent"],
      [2, "tools"],
      [3, "agent"],
    ]);
  });

  it("leaves LangGraph's own nodes and LangChain's plumbing as spans of the run, not steps", () => {
    const plumbing = spans("sales-analyst", "other").map((s) => s.name);
    expect(plumbing).toContain("__start__");
    expect(plumbing).toContain("RunnableLambda"); // the edge that routes to the tools
    // Plumbing that ended before the run's first LLM call joined the run all the same.
    expect(collector.query("SELECT count(*) AS n FROM spans WHERE run_id IS NULL")).toEqual([{ n: 0 }]);
  });

  it("stores the model calls with model, provider, tokens, cost and the conversation", () => {
    const calls = spans("sales-analyst", "llm");
    expect(calls).toMatchObject([
      { name: "ChatOpenAI", step_index: 1, model: "gpt-4o-mini", provider: "openai", input_tokens: 100 },
      { name: "ChatOpenAI", step_index: 3, model: "gpt-4o-mini", provider: "openai", output_tokens: 20 },
    ]);
    for (const call of calls) expect(call.cost_usd).toBeCloseTo(gpt4oMiniCall, 12);
    expect(JSON.parse(calls[0]!.input as string)).toEqual([{ role: "user", content: QUESTION.content }]);
    expect(JSON.parse(calls[1]!.output as string)).toEqual([
      { role: "assistant", content: "Q3 revenue fell 12%." },
    ]);
    expect(run("sales-analyst")).toMatchObject({ input_tokens: 200, output_tokens: 40 });
    expect(run("sales-analyst").cost_usd).toBeCloseTo(2 * gpt4oMiniCall, 12);
  });

  it("names tool calls by the tool, with their arguments and results, in the tools step", () => {
    const tools = spans("sales-analyst", "tool").map(({ name, step_index, input, output, status }) => ({
      name: name as string,
      step_index,
      input: JSON.parse(input as string),
      output: output === null ? null : JSON.parse(output as string),
      status,
    }));
    // The tools node runs both calls at once: either may start first.
    expect(tools.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: "forecast_revenue", step_index: 2, input: "Q4", output: null, status: "error" },
      {
        name: "sales_report",
        step_index: 2,
        input: "Q3",
        output: { quarter: "Q3", revenue: "-12%" },
        status: "ok",
      },
    ]);
  });

  it("records the failing tool with its own arguments, its error's type and stack", () => {
    const [failure] = failures("sales-analyst");
    expect(failures("sales-analyst")).toHaveLength(1);
    expect(failure).toMatchObject({
      kind: "tool",
      name: "forecast_revenue",
      step: 2,
      error_type: "Error",
      message: "no forecast for Q4",
      input: '"Q4"',
    });
    expect(failure!.stack).toMatch(/^Error: no forecast for Q4\n {4}at .*langgraph-agent\.ts/);
  });

  it("keeps a run ok, without an error, when the graph recovered from the tool's error", () => {
    expect(run("sales-analyst")).toMatchObject({
      status: "ok",
      error: null,
      current_step: 3,
      current_step_name: "agent",
    });
  });

  it("fails a run the tool's error ended, at the tools step", () => {
    expect((thrown as Error).message).toBe("no forecast for Q4");
    expect(run("strict-analyst")).toMatchObject({
      status: "error",
      error: "no forecast for Q4",
      steps: 2,
      current_step: 2,
      current_step_name: "tools",
    });
    expect(spans("strict-analyst", "step").map((s) => [s.step_index, s.name, s.status])).toEqual([
      [1, "agent", "ok"],
      [2, "tools", "error"],
    ]);
    const tool = failures("strict-analyst").find((f) => f.kind === "tool");
    expect(tool).toMatchObject({ name: "forecast_revenue", step: 2, error_type: "Error", input: '"Q4"' });
  });
});
