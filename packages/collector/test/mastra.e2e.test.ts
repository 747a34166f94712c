import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { mastraTripPlanner } from "./mastra-agent.js";
import { THREAD_START } from "./patience.js";
import {
  SCRIPTED_TURN_USAGE,
  type ScriptedOpenAiServer,
  startScriptedOpenAiServer,
} from "./scripted-openai-server.js";

const ask = "What is the weather in Paris, and are there flights?";

/** Runs the trip planner once against `script`; resolves with its answer, or the error it threw. */
async function runAgent(
  collector: TestCollector,
  script: Parameters<typeof startScriptedOpenAiServer>[0],
  protocol: "http/json" | "http/protobuf",
): Promise<{ text?: string; error?: unknown; model: ScriptedOpenAiServer }> {
  const model = await startScriptedOpenAiServer(script);
  const { mastra, agent } = mastraTripPlanner({
    modelUrl: model.url,
    tracesUrl: `${collector.server.url}/v1/traces`,
    protocol,
  });
  try {
    const result = await agent.generate(ask, { maxSteps: 5, modelSettings: { maxRetries: 0 } });
    return { text: result.text, model };
  } catch (error) {
    return { error, model };
  } finally {
    await mastra.shutdown();
    await model.close();
  }
}

const spansOf = (collector: TestCollector, kind: string) =>
  collector.query<Record<string, unknown>>(
    "SELECT name, status, step_index, model, provider, input_tokens, output_tokens, cost_usd, input, output FROM spans WHERE kind = ? ORDER BY start_ns",
    kind,
  );

describe("Mastra agent (@mastra/core 0.24, @mastra/otel-exporter 0.3) → OTLP/protobuf → collector", () => {
  let collector: TestCollector;
  let answer: string | undefined;

  beforeAll(async () => {
    collector = await startTestCollector();
    const run = await runAgent(
      collector,
      [
        { toolCalls: [{ name: "weather", arguments: { city: "Paris" } }] },
        { toolCalls: [{ name: "flights", arguments: { to: "Paris" } }] },
        { text: "Sunny in Paris; no flights today." },
      ],
      "http/protobuf",
    );
    expect(run.error).toBeUndefined();
    answer = run.text;
    expect(run.model.requests).toHaveLength(3);
    // shutdown() starts the last export without waiting for its answer; the root span ends last.
    await vi.waitFor(
      () => expect(collector.query("SELECT status FROM runs")).toEqual([{ status: "ok" }]),
      THREAD_START,
    );
  }, 120_000);
  afterAll(() => collector?.stop());

  it("stores one ok run named by the agent, with its three loop steps and no error after recovering", () => {
    expect(answer).toBe("Sunny in Paris; no flights today.");
    const runs = collector.query("SELECT name, status, steps, current_step, error, service FROM runs");
    expect(runs).toEqual([
      {
        name: "trip-planner",
        status: "ok",
        steps: 3,
        current_step: 3,
        error: null,
        service: "mastra-trip-planner",
      },
    ]);
    expect(spansOf(collector, "step").map((s) => [s.step_index, s.name, s.status])).toEqual([
      // Mastra sends them as "step: 0", "step: 1", "step: 2": named by what the model decided.
      [1, "weather", "ok"],
      [2, "flights", "ok"],
      [3, "answer", "ok"],
    ]);
  });

  it("keeps the generation as an LLM span with model, provider, tokens, cost and the conversation", () => {
    const [llm, ...more] = spansOf(collector, "llm");
    expect(more).toEqual([]);
    // One generation spans the whole agent loop: Mastra sums its three calls' usage on it.
    expect(llm).toMatchObject({
      model: "gpt-4o-mini",
      provider: "openai",
      input_tokens: 3 * SCRIPTED_TURN_USAGE.prompt_tokens,
      output_tokens: 3 * SCRIPTED_TURN_USAGE.completion_tokens,
    });
    expect(llm!.cost_usd).toBeGreaterThan(0);
    expect(JSON.parse(llm!.input as string)).toEqual([
      { role: "system", parts: [{ type: "text", content: "Plan trips with the tools you have." }] },
      { role: "user", parts: [{ type: "text", content: ask }] },
    ]);
    expect(JSON.parse(llm!.output as string)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Sunny in Paris; no flights today." }] },
    ]);
    const run = collector.query<{ input_tokens: number; cost_usd: number }>(
      "SELECT input_tokens, cost_usd FROM runs",
    )[0]!;
    expect(run.input_tokens).toBe(3 * SCRIPTED_TURN_USAGE.prompt_tokens);
    expect(run.cost_usd).toBeCloseTo(llm!.cost_usd as number, 12);
  });

  it("names tool spans by the tool, with their arguments and results, inside their steps", () => {
    const tools = collector.query<{ tool: string; arguments: string; result: string | null; status: string }>(
      "SELECT tool, arguments, result, status FROM tool_calls ORDER BY started_at",
    );
    expect(
      tools.map((t) => [t.tool, JSON.parse(t.arguments), t.result && JSON.parse(t.result), t.status]),
    ).toEqual([
      ["weather", { city: "Paris" }, { city: "Paris", sky: "sunny" }, "ok"],
      ["flights", { to: "Paris" }, null, "error"],
    ]);
    const parents = collector.query<{ name: string; parent: string }>(
      `SELECT t.name, p.name AS parent FROM spans t JOIN spans p ON p.span_id = t.parent_span_id
       WHERE t.kind = 'tool' ORDER BY t.start_ns`,
    );
    expect(parents.map((p) => p.parent)).toEqual(["weather", "flights"]);
  });

  it("records the failing tool's step, own arguments, message and the type Mastra sends", () => {
    const failures = collector.query<Record<string, string | number | null>>(
      "SELECT kind, name, step, error_type, message, stack, input FROM failures",
    );
    expect(failures).toHaveLength(1);
    const failure = failures[0]!;
    expect(failure).toMatchObject({
      kind: "tool",
      name: "tool.execute flights",
      step: 2, // the model call that asked for it
      message: "no flights to Paris",
    });
    expect(JSON.parse(failure.input as string)).toEqual({ to: "Paris" });
    // Mastra's exporter writes every exception as `Error` and sends no stack for a tool's error.
    expect(failure.error_type).toBe("Error");
    expect(failure.stack).toBeNull();
  });

  it("folds the streamed chunks into their steps as plumbing", () => {
    const other = spansOf(collector, "other").map((s) => s.name);
    expect(other.length).toBeGreaterThan(0);
    expect(other.every((name) => String(name).startsWith("chunk: "))).toBe(true);
  });
});

describe("Mastra agent that does not recover from its tool error → OTLP/JSON → collector", () => {
  let collector: TestCollector;
  let thrown: unknown;

  beforeAll(async () => {
    // Mastra never ends the agent's span when generate() throws: only the verdict closes the run.
    collector = await startTestCollector({
      interrupts: { defaultHeartbeatIntervalMs: 200, sweepIntervalMs: 100 },
    });
    // The model fails right after the tool does (the script ends): the agent gives up.
    const run = await runAgent(
      collector,
      [{ toolCalls: [{ name: "flights", arguments: { to: "Paris" } }] }],
      "http/json",
    );
    thrown = run.error;
  }, 120_000);
  afterAll(() => collector?.stop());

  it("keeps the tool's failure with its arguments, and ends the run interrupted at the last step sent", async () => {
    expect(String(thrown)).toContain("script ended");
    await vi.waitFor(() => expect(collector.query("SELECT 1 FROM failures")).toHaveLength(1), THREAD_START);
    const failure = collector.query<{ name: string; step: number; input: string }>(
      "SELECT name, step, input FROM failures",
    )[0]!;
    expect(failure).toMatchObject({ name: "tool.execute flights", step: 1 });
    expect(JSON.parse(failure.input)).toEqual({ to: "Paris" });
    await vi.waitFor(() => {
      expect(collector.query("SELECT status FROM runs")).toEqual([{ status: "interrupted" }]);
    }, THREAD_START);
    expect(collector.query("SELECT steps, current_step, current_step_name FROM runs")).toEqual([
      { steps: 2, current_step: 2, current_step_name: "model call" },
    ]);
    expect(collector.query("SELECT name FROM spans WHERE kind = 'step' ORDER BY step_index")).toEqual([
      { name: "flights" },
      { name: "model call" },
    ]);
  });
});
