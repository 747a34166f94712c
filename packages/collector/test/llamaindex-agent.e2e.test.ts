import * as llamaIndexOpenAI from "@llamaindex/openai";
import * as traceloop from "@traceloop/node-server-sdk";
import * as llamaindex from "llamaindex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AgentModelServer,
  FINAL_ANSWER,
  startAgentModelServer,
  TURN_USAGE,
} from "./agent-model-server.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

class NoSeatsError extends Error {
  override name = "NoSeatsError";
}

/** Tools as Traceloop's docs trace them: the function inside `withTool`, its arguments passed on. */
const tools = [
  llamaindex.FunctionTool.from(
    (args: { city: string }) =>
      traceloop.withTool({ name: "weather" }, async ({ city }) => ({ city, sky: "sunny", celsius: 8 }), args),
    {
      name: "weather",
      description: "Current weather in a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  ),
  llamaindex.FunctionTool.from(
    (args: { to: string; date: string }) =>
      traceloop.withTool(
        { name: "book_flight" },
        async ({ to }): Promise<string> => {
          throw new NoSeatsError(`no seats left to ${to}`);
        },
        args,
      ),
    {
      name: "book_flight",
      description: "Books a flight",
      parameters: {
        type: "object",
        properties: { to: { type: "string" }, date: { type: "string" } },
        required: ["to", "date"],
      },
    },
  ),
];

describe("LlamaIndex.TS agent (llamaindex 0.12, @llamaindex/openai 0.4) traced by Traceloop → collector", () => {
  let collector: TestCollector;
  let model: AgentModelServer;

  /** A workflow of two tasks: the agent researches (with tools), then the model writes the reply. */
  const planTrip = (name: string) => {
    const llm = new llamaIndexOpenAI.OpenAI({
      model: "gpt-4o-mini",
      apiKey: "sk-test",
      baseURL: model.url,
      maxRetries: 0,
    });
    const agent = new llamaIndexOpenAI.OpenAIAgent({ llm, tools });
    return traceloop.withWorkflow({ name }, async () => {
      const research = await traceloop.withTask({ name: "research" }, () =>
        agent.chat({ message: "Plan my trip to Paris on Christmas Eve." }),
      );
      const reply = await traceloop.withTask({ name: "reply" }, () =>
        llm.chat({ messages: [{ role: "user", content: `Write it up: ${research.message.content}` }] }),
      );
      return String(reply.message.content);
    });
  };

  beforeAll(async () => {
    collector = await startTestCollector();
    model = await startAgentModelServer();
    traceloop.initialize({
      appName: "llamaindex-agent",
      baseUrl: collector.server.url,
      apiKey: "unused", // the collector takes no token here; Traceloop's own cloud is never called
      disableBatch: true,
      traceloopSyncEnabled: false,
      silenceInitializationMessage: true,
      instrumentModules: { llamaIndex: llamaindex as never, llamaIndexOpenAI },
    });
    expect(await planTrip("trip-planner")).toBe(FINAL_ANSWER);
    model.afterTools = "fail";
    await expect(planTrip("trip-planner-strict")).rejects.toThrow();
    await traceloop.forceFlush();
  });
  afterAll(async () => {
    await model?.close();
    await collector?.stop();
  });

  const runOf = (name: string) =>
    collector.query<{ run_id: string }>("SELECT run_id FROM runs WHERE name = ?", name)[0]!.run_id;

  it("makes the workflow a run named by it, ok after the agent recovered from the tool error", () => {
    // The agent's three model calls, then the reply's (the model answers it as its third turn).
    const usage = [...TURN_USAGE, TURN_USAGE[0]];
    expect(
      collector.query(
        `SELECT name, status, error, steps, current_step, current_step_name, input_tokens, output_tokens, service
         FROM runs WHERE name = 'trip-planner'`,
      ),
    ).toEqual([
      {
        name: "trip-planner",
        status: "ok",
        error: null,
        steps: 2,
        current_step: 2,
        current_step_name: "reply",
        input_tokens: usage.reduce((n, [i]) => n + i, 0),
        output_tokens: usage.reduce((n, [, o]) => n + o, 0),
        service: "llamaindex-agent",
      },
    ]);
  });

  it("numbers the workflow's tasks as its steps, in order", () => {
    expect(
      collector.query(
        "SELECT step_index, name FROM spans WHERE run_id = ? AND kind = 'step' ORDER BY step_index",
        runOf("trip-planner"),
      ),
    ).toEqual([
      { step_index: 1, name: "research" },
      { step_index: 2, name: "reply" },
    ]);
  });

  it("stores each model call with model, tokens and price", () => {
    const calls = collector.query<{
      model: string;
      input_tokens: number;
      output_tokens: number;
      cost_usd: number;
    }>(
      "SELECT model, input_tokens, output_tokens, cost_usd FROM llm_calls WHERE run_id = ? ORDER BY started_at",
      runOf("trip-planner"),
    );
    expect(calls.map((c) => [c.model, c.input_tokens, c.output_tokens])).toEqual(
      [...TURN_USAGE, TURN_USAGE[0]].map(([i, o]) => ["gpt-4o-mini", i, o]),
    );
    // gpt-4o-mini: $0.15/M input, $0.60/M output.
    expect(calls[0]!.cost_usd).toBeCloseTo((TURN_USAGE[0][0] * 0.15 + TURN_USAGE[0][1] * 0.6) / 1e6, 12);
  });

  it("names the tool span by the tool, with its arguments and result", () => {
    const [weather] = collector.query<{ name: string; tool: string; input: string; output: string }>(
      "SELECT name, tool, input, output FROM spans WHERE run_id = ? AND kind = 'tool'",
      runOf("trip-planner"),
    );
    expect(weather).toMatchObject({ name: "weather", tool: "weather" });
    expect(JSON.parse(weather!.input)).toEqual({ args: [], kwargs: { city: "Paris" } });
    expect(JSON.parse(weather!.output)).toEqual({ city: "Paris", sky: "sunny", celsius: 8 });
  });

  it("never receives the failing tool's span: Traceloop 0.27 does not end a span whose function throws", () => {
    // withTool/withTask/withWorkflow end their span only when the function resolves. The agent
    // still read the error: LlamaIndex hands it to the model as the tool's result.
    expect(
      collector.query(
        "SELECT count(*) AS n FROM spans WHERE run_id = ? AND name = 'book_flight'",
        runOf("trip-planner"),
      ),
    ).toEqual([{ n: 0 }]);
    const last = collector.query<{ input: string }>(
      "SELECT input FROM llm_calls WHERE run_id = ? ORDER BY started_at DESC LIMIT 1 OFFSET 1",
      runOf("trip-planner"),
    )[0]!;
    expect(last.input).toContain("Error(NoSeatsError): no seats left to Paris");
  });

  it("records the failed model call of the run that did not recover, with its own input", () => {
    const runId = runOf("trip-planner-strict");
    // The model call, then the agent: LlamaIndex's instrumentation ends both with the error, often in
    // the same millisecond (OpenTelemetry JS stamps times to the millisecond), so ties go by kind.
    expect(
      collector.query(
        "SELECT kind, name, message FROM failures WHERE run_id = ? ORDER BY ts_ns, kind",
        runId,
      ),
    ).toEqual([
      { kind: "llm", name: "chat gpt-4o-mini", message: "500 model overloaded" },
      { kind: "other", name: "open_ai_agent.agent", message: "500 model overloaded" },
    ]);
    const [failure] = collector.query<{ input: string }>(
      "SELECT input FROM failures WHERE run_id = ? AND kind = 'llm'",
      runId,
    );
    expect(JSON.parse(failure!.input).at(-1)).toMatchObject({ role: "user" });
    // Its task and workflow threw, so Traceloop never ends (nor sends) them: the run stays open.
    expect(collector.query("SELECT status, steps FROM runs WHERE run_id = ?", runId)).toEqual([
      { status: "running", steps: 0 },
    ]);
  });
});
