import { shutdown } from "@flightrec/sdk";
import { priceUsage } from "@flightrec/sdk/pricing";
import { Runner, setTraceProcessors, setTracingDisabled, type TracingProcessor } from "@openai/agents";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { flightrecTracingProcessor } from "../src/index.js";
import { startTestCollector, type TestCollector } from "./collector.js";
import {
  FAKE_MODEL,
  type FakeResponsesServer,
  type ScriptedReply,
  startFakeResponsesServer,
  usageOf,
} from "./fake-responses-server.js";
import { ForecastUnavailableError, triageAgent } from "./weather-agent.js";

/** The model hands off, calls the tool that works, then the one that throws, then answers. */
const SCRIPT: ScriptedReply[] = [
  { toolCalls: [{ name: "transfer_to_Weather_agent", arguments: {} }] },
  { toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
  { toolCalls: [{ name: "get_forecast", arguments: { city: "Paris", days: 3 } }] },
  { text: "Sunny in Paris, 21 °C; no forecast today." },
];

interface RunRow {
  run_id: string;
  name: string;
  status: string;
  steps: number;
  error: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

const WAIT = { timeout: 30_000, interval: 100 } as const;

describe("OpenAI Agents SDK (@openai/agents) → flightrecTracingProcessor → collector", () => {
  let collector: TestCollector;
  const servers: FakeResponsesServer[] = [];
  /** Every trace and span the Agents SDK dispatched, seen by a second processor beside ours. */
  const seenBeside: string[] = [];

  /** Runs the triage agent against a fresh fake model; returns its answer or the error it threw. */
  async function runAgent(
    workflowName: string,
    recover: boolean,
    api: "responses" | "chat_completions" = "responses",
  ): Promise<unknown> {
    const server = await startFakeResponsesServer(SCRIPT);
    servers.push(server);
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: "test-key" });
    try {
      const result = await new Runner({ workflowName }).run(
        triageAgent(recover, client, api),
        "Weather in Paris?",
      );
      return result.finalOutput;
    } catch (error) {
      return error;
    }
  }

  async function finishedRun(name: string): Promise<RunRow> {
    return vi.waitFor(async () => {
      const [run] = await collector.sql<RunRow>(`SELECT * FROM runs WHERE name = '${name}'`);
      expect(run?.status).toMatch(/^(ok|error)$/);
      return run!;
    }, WAIT);
  }

  /** The run's steps as the replay lists them: number, name, status. */
  function stepsOf(run: RunRow) {
    return collector.sql(
      `SELECT step_index, name, status FROM spans WHERE run_id = '${run.run_id}' AND kind = 'step' ORDER BY start_ns`,
    );
  }

  beforeAll(async () => {
    collector = await startTestCollector();
    // The Agents SDK turns tracing off when NODE_ENV is "test", as under Vitest.
    setTracingDisabled(false);
    const beside: TracingProcessor = {
      onTraceStart: async (trace) => void seenBeside.push(`trace ${trace.name}`),
      onTraceEnd: async () => {},
      onSpanStart: async () => {},
      onSpanEnd: async (span) => void seenBeside.push(span.spanData.type),
      shutdown: async () => {},
      forceFlush: async () => {},
    };
    setTraceProcessors([
      flightrecTracingProcessor({
        endpoint: collector.url,
        serviceName: "agents-e2e",
        handleProcessEvents: false,
      }),
      beside,
    ]);
  });

  afterAll(async () => {
    await shutdown();
    for (const server of servers) await server.close();
    await collector?.stop();
  });

  describe("when the agent recovers from the tool error", () => {
    let run: RunRow;

    beforeAll(async () => {
      expect(await runAgent("weather_workflow", true)).toBe("Sunny in Paris, 21 °C; no forecast today.");
      run = await finishedRun("weather_workflow");
    }, 60_000);

    it("records the trace as an ok run named by its workflow, without an error", () => {
      expect(run).toMatchObject({ name: "weather_workflow", status: "ok", steps: 4, error: null });
      expect(run.run_id).toMatch(/^trace_/);
      expect(run.input_tokens).toBe([0, 1, 2, 3].reduce((sum, n) => sum + usageOf(n).input, 0));
      expect(run.output_tokens).toBe([0, 1, 2, 3].reduce((sum, n) => sum + usageOf(n).output, 0));
    });

    it("makes each agent turn a step, numbered in order and named by its agent and what it did", async () => {
      expect(await stepsOf(run)).toEqual([
        { step_index: 1, name: "Triage agent: handoff → Weather agent", status: "ok" },
        { step_index: 2, name: "Weather agent: get_weather", status: "ok" },
        { step_index: 3, name: "Weather agent: get_forecast", status: "ok" },
        { step_index: 4, name: "Weather agent: answer", status: "ok" },
      ]);
      const [latest] = await collector.sql(
        `SELECT current_step, current_step_name FROM runs WHERE run_id = '${run.run_id}'`,
      );
      expect(latest).toEqual({ current_step: 4, current_step_name: "Weather agent: answer" });
    });

    it("records each model call as an LLM span with model, tokens, cost and the conversation", async () => {
      const calls = await collector.sql<{
        name: string;
        model: string;
        provider: string;
        input_tokens: number;
        output_tokens: number;
        cost_usd: number;
        step_index: number;
        input: string;
        output: string;
      }>(
        `SELECT s.name, s.model, s.provider, s.input_tokens, s.output_tokens, s.cost_usd, s.step_index, s.input, s.output
         FROM spans s WHERE s.run_id = '${run.run_id}' AND s.kind = 'llm' ORDER BY s.start_ns`,
      );
      expect(calls.map((c) => [c.name, c.model, c.provider, c.step_index])).toEqual(
        [1, 2, 3, 4].map((step) => [`chat ${FAKE_MODEL}`, FAKE_MODEL, "openai", step]),
      );
      calls.forEach((call, n) => {
        const { input, output } = usageOf(n);
        const price = priceUsage({
          provider: "openai",
          model: FAKE_MODEL,
          inputTokens: input,
          outputTokens: output,
        });
        expect([call.input_tokens, call.output_tokens]).toEqual([input, output]);
        expect(price.costUsd).toBeGreaterThan(0);
        expect(call.cost_usd).toBeCloseTo(price.costUsd!, 12);
      });
      expect(JSON.parse(calls[0]!.input)).toEqual([
        { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      ]);
      expect(JSON.parse(calls[1]!.output)).toEqual([
        {
          role: "assistant",
          parts: [{ type: "tool_call", name: "get_weather", arguments: '{"city":"Paris"}' }],
          finish_reason: "completed",
        },
      ]);
      expect(JSON.parse(calls[3]!.input)).toContainEqual({
        role: "tool",
        parts: [
          {
            type: "tool_call_response",
            id: "call_1_0",
            response: '{"city":"Paris","sky":"sunny","celsius":21}',
          },
        ],
      });
      expect(JSON.parse(calls[3]!.output)[0].parts).toEqual([
        { type: "text", content: "Sunny in Paris, 21 °C; no forecast today." },
      ]);
    });

    it("records each tool call named by its tool, with arguments and result, inside its step", async () => {
      const tools = await collector.sql(
        `SELECT t.tool, t.status, t.arguments, t.result, s.step_index, p.kind AS parent_kind
         FROM tool_calls t JOIN spans s USING (trace_id, span_id)
         LEFT JOIN spans p ON p.trace_id = s.trace_id AND p.span_id = s.parent_span_id
         WHERE t.run_id = '${run.run_id}' ORDER BY t.started_at`,
      );
      expect(tools.map((t) => ({ ...t, arguments: JSON.parse(t.arguments as string) }))).toEqual([
        {
          tool: "get_weather",
          status: "ok",
          arguments: { city: "Paris" },
          result: JSON.stringify({ city: "Paris", sky: "sunny", celsius: 21 }),
          step_index: 2,
          parent_kind: "step",
        },
        {
          tool: "get_forecast",
          status: "error",
          arguments: { city: "Paris", days: 3 },
          result: JSON.stringify(
            "An error occurred while running the tool. Please try again. Error: ForecastUnavailableError: no forecast for Paris",
          ),
          step_index: 3,
          parent_kind: "step",
        },
      ]);
    });

    it("records the handoff and the guardrail as spans of their own", async () => {
      const others = await collector.sql<{ name: string; status: string }>(
        `SELECT name, status FROM spans WHERE run_id = '${run.run_id}' AND kind = 'other' ORDER BY start_ns`,
      );
      expect(others.map((s) => s.name)).toEqual(
        expect.arrayContaining([
          "agent Triage agent",
          "guardrail polite_input",
          "handoff Triage agent → Weather agent",
          "agent Weather agent",
        ]),
      );
      expect(others.every((s) => s.status === "ok")).toBe(true);
    });

    it("keeps the failing tool's failure with its own arguments, type and stack", async () => {
      const failures = await collector.sql(
        `SELECT kind, name, step, error_type, message, stack, input FROM failures WHERE run_id = '${run.run_id}'`,
      );
      expect(failures).toHaveLength(1);
      const [failure] = failures as Record<string, string>[];
      expect(failure).toMatchObject({
        kind: "tool",
        name: "execute_tool get_forecast",
        step: 3,
        error_type: "ForecastUnavailableError",
        message: "no forecast for Paris",
      });
      expect(JSON.parse(failure!.input!)).toEqual({ city: "Paris", days: 3 });
      expect(failure!.stack).toContain("ForecastUnavailableError: no forecast for Paris");
      expect(failure!.stack).toContain("weather-agent.ts");
    });
  });

  describe("when the tool error ends the run", () => {
    let run: RunRow;
    let thrown: unknown;

    beforeAll(async () => {
      thrown = await runAgent("weather_workflow_strict", false);
      run = await finishedRun("weather_workflow_strict");
    }, 60_000);

    it("lets the agent fail as it would without Flightrec", () => {
      expect(thrown).toBeInstanceOf(Error);
      expect(String(thrown)).toContain("no forecast for Paris");
      expect((thrown as { error?: unknown }).error).toBeInstanceOf(ForecastUnavailableError);
    });

    it("records an error run that stopped at the failing step", async () => {
      expect(run).toMatchObject({ status: "error", steps: 3 });
      expect(run.error).toContain("no forecast for Paris");
      expect(await stepsOf(run)).toEqual([
        { step_index: 1, name: "Triage agent: handoff → Weather agent", status: "ok" },
        { step_index: 2, name: "Weather agent: get_weather", status: "ok" },
        { step_index: 3, name: "Weather agent: get_forecast", status: "error" },
      ]);
    });

    it("keeps the failing tool's own failure with its arguments, type and stack", async () => {
      const [failure] = await collector.sql<Record<string, string>>(
        `SELECT step, error_type, message, stack, input FROM failures WHERE run_id = '${run.run_id}' AND kind = 'tool'`,
      );
      expect(failure).toMatchObject({
        step: 3,
        error_type: "ForecastUnavailableError",
        message: "no forecast for Paris",
      });
      expect(JSON.parse(failure!.input!)).toEqual({ city: "Paris", days: 3 });
      expect(failure!.stack).toContain("weather-agent.ts");
    });
  });

  describe("through Chat Completions instead of the Responses API", () => {
    let run: RunRow;

    beforeAll(async () => {
      const answer = await runAgent("weather_workflow_chat", true, "chat_completions");
      expect(answer).toBe("Sunny in Paris, 21 °C; no forecast today.");
      run = await finishedRun("weather_workflow_chat");
    }, 60_000);

    it("records the same run, steps, model calls with tokens and cost, tools and failure", async () => {
      expect(run).toMatchObject({
        status: "ok",
        steps: 4,
        error: null,
        input_tokens: 1000,
        output_tokens: 100,
      });
      expect((await stepsOf(run)).map((s) => s.name)).toEqual([
        "Triage agent: handoff → Weather agent",
        "Weather agent: get_weather",
        "Weather agent: get_forecast",
        "Weather agent: answer",
      ]);
      const calls = await collector.sql<{
        model: string;
        input_tokens: number;
        cost_usd: number;
        output: string;
      }>(
        `SELECT model, input_tokens, cost_usd, output FROM llm_calls WHERE run_id = '${run.run_id}' ORDER BY started_at`,
      );
      expect(calls.map((c) => [c.model, c.input_tokens])).toEqual(
        [0, 1, 2, 3].map((n) => [FAKE_MODEL, usageOf(n).input]),
      );
      expect(calls.every((c) => c.cost_usd > 0)).toBe(true);
      expect(JSON.parse(calls[3]!.output)[0].parts).toEqual([
        { type: "text", content: "Sunny in Paris, 21 °C; no forecast today." },
      ]);
      const tools = await collector.sql<{ tool: string; arguments: string }>(
        `SELECT tool, arguments FROM tool_calls WHERE run_id = '${run.run_id}' ORDER BY started_at`,
      );
      expect(tools.map((t) => [t.tool, JSON.parse(t.arguments)])).toEqual([
        ["get_weather", { city: "Paris" }],
        ["get_forecast", { city: "Paris", days: 3 }],
      ]);
      const [failure] = await collector.sql<Record<string, string>>(
        `SELECT error_type, stack, input FROM failures WHERE run_id = '${run.run_id}'`,
      );
      expect(failure!.error_type).toBe("ForecastUnavailableError");
      expect(failure!.stack).toContain("weather-agent.ts");
      expect(JSON.parse(failure!.input!)).toEqual({ city: "Paris", days: 3 });
    });
  });

  it("leaves the other trace processors every trace and span", () => {
    expect(seenBeside.filter((s) => s.startsWith("trace "))).toEqual([
      "trace weather_workflow",
      "trace weather_workflow_strict",
      "trace weather_workflow_chat",
    ]);
    expect(seenBeside).toEqual(
      expect.arrayContaining([
        "turn",
        "response",
        "generation",
        "function",
        "handoff",
        "guardrail",
        "agent",
        "task",
      ]),
    );
  });
});
