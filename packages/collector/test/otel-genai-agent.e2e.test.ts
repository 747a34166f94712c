import { createRequire } from "node:module";
import { context, metrics, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OpenAIInstrumentation } from "@opentelemetry/instrumentation-openai";
import type { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AgentModelServer,
  FINAL_ANSWER,
  startAgentModelServer,
  TURN_USAGE,
} from "./agent-model-server.js";
import { exportingProvider } from "./exporting-provider.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

const require = createRequire(import.meta.url);
type OpenAIModule = typeof import("openai");

class NoSeatsError extends Error {
  override name = "NoSeatsError";
}

const TOOLS = {
  weather: async ({ city }: { city: string }) => ({ city, sky: "sunny", celsius: 8 }),
  book_flight: async ({ to }: { to: string; date: string }): Promise<unknown> => {
    throw new NoSeatsError(`no seats left to ${to}`);
  },
} as Record<string, (args: never) => Promise<unknown>>;

const TOOL_DEFINITIONS = Object.keys(TOOLS).map((name) => ({
  type: "function" as const,
  function: { name, parameters: { type: "object", properties: {} } },
}));

/** One tool call as the GenAI conventions trace it: an `execute_tool` span, its error recorded. */
async function executeTool(tracer: Tracer, name: string, args: string): Promise<string> {
  return tracer.startActiveSpan(`execute_tool ${name}`, async (span) => {
    span.setAttributes({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": name,
      "gen_ai.tool.call.arguments": args,
    });
    try {
      const result = JSON.stringify(await TOOLS[name]!(JSON.parse(args) as never));
      span.setAttribute("gen_ai.tool.call.result", result);
      return result;
    } catch (error) {
      span.recordException(error as Error);
      span.setAttribute("error.type", (error as Error).name);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      return `Error: ${(error as Error).message}`; // the model reads it and may recover
    } finally {
      span.end();
    }
  });
}

/** A hand-written agent loop inside an `invoke_agent` span; the openai client traces its chat calls. */
async function runAgent(
  tracer: Tracer,
  openai: OpenAIModule,
  baseURL: string,
  agent: string,
): Promise<string> {
  return tracer.startActiveSpan(`invoke_agent ${agent}`, async (span) => {
    span.setAttributes({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": agent });
    const client = new openai.OpenAI({ baseURL, apiKey: "sk-test", maxRetries: 0 });
    const messages: import("openai").OpenAI.ChatCompletionMessageParam[] = [
      { role: "user", content: "Plan my trip to Paris on Christmas Eve." },
    ];
    try {
      for (;;) {
        const reply = await client.chat.completions.create({
          model: "gpt-4o-mini",
          messages,
          tools: TOOL_DEFINITIONS,
        });
        const message = reply.choices[0]!.message;
        messages.push(message);
        if (!message.tool_calls?.length) return message.content ?? "";
        for (const call of message.tool_calls) {
          if (call.type !== "function") continue;
          const content = await executeTool(tracer, call.function.name, call.function.arguments);
          messages.push({ role: "tool", tool_call_id: call.id, content });
        }
      }
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The OpenTelemetry instrumentation of the openai client patches its CommonJS build (its
 * require hook never sees an ESM import), as in otel-genai-logs.e2e.test.ts.
 */
describe("OTel GenAI agent (invoke_agent, @opentelemetry/instrumentation-openai, execute_tool) → collector", () => {
  let collector: TestCollector;
  let model: AgentModelServer;
  let provider: BasicTracerProvider;

  beforeAll(async () => {
    collector = await startTestCollector();
    model = await startAgentModelServer();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    provider = exportingProvider(collector.server.url, "otel-genai-agent", "json");
    trace.setGlobalTracerProvider(provider);
    const instrumentation = new OpenAIInstrumentation();
    instrumentation.setTracerProvider(provider);
    // It records a failed call's duration on its metrics, which exist only once a meter provider is set.
    instrumentation.setMeterProvider(metrics.getMeterProvider());
    const openai = require("openai") as OpenAIModule;
    const [definition] = instrumentation.getModuleDefinitions();
    definition!.patch!(openai);
    const tracer = provider.getTracer("trip-agent");
    try {
      expect(await runAgent(tracer, openai, model.url, "trip-planner")).toBe(FINAL_ANSWER);
      model.afterTools = "fail";
      await expect(runAgent(tracer, openai, model.url, "trip-planner-strict")).rejects.toThrow(
        "model overloaded",
      );
    } finally {
      definition!.unpatch!(openai);
      await provider.forceFlush();
    }
  });
  afterAll(async () => {
    await provider?.shutdown();
    trace.disable();
    context.disable();
    await model?.close();
    await collector?.stop();
  });

  const runOf = (name: string) =>
    collector.query<{ run_id: string }>("SELECT run_id FROM runs WHERE name = ?", name)[0]!.run_id;

  it("makes the agent a run named by it: ok when it recovered from the tool error, else error", () => {
    expect(
      collector.query(
        `SELECT name, status, error, steps, current_step, current_step_name, input_tokens, output_tokens
         FROM runs ORDER BY started_at`,
      ),
    ).toEqual([
      {
        name: "trip-planner",
        status: "ok",
        error: null,
        steps: 3,
        current_step: 3,
        current_step_name: "answer",
        input_tokens: TURN_USAGE.reduce((n, [i]) => n + i, 0),
        output_tokens: TURN_USAGE.reduce((n, [, o]) => n + o, 0),
      },
      {
        name: "trip-planner-strict",
        status: "error",
        error: expect.stringContaining("model overloaded"),
        steps: 3,
        current_step: 3,
        current_step_name: "model call",
        input_tokens: TURN_USAGE[0][0] + TURN_USAGE[1][0],
        output_tokens: TURN_USAGE[0][1] + TURN_USAGE[1][1],
      },
    ]);
  });

  it("makes each chat call a turn, with the tool calls it asked for under it", () => {
    const rows = collector.query<{
      span_id: string;
      parent_span_id: string | null;
      kind: string;
      name: string;
      step_index: number | null;
    }>(
      "SELECT span_id, parent_span_id, kind, name, step_index FROM spans WHERE run_id = ? ORDER BY start_ns, kind",
      runOf("trip-planner"),
    );
    const byId = new Map(rows.map((r) => [r.span_id, r]));
    // Sorted: start times are stamped to the millisecond, so an instant tool and the next chat
    // call may tie; the order of the turns is checked below.
    expect(
      rows
        .map((r) => {
          const parent = r.parent_span_id ? byId.get(r.parent_span_id) : undefined;
          return `${r.kind} ${r.step_index ?? r.name} <- ${parent ? `${parent.kind} ${parent.step_index ?? parent.name}` : "-"}`;
        })
        .sort(),
    ).toEqual(
      [
        "run invoke_agent trip-planner <- -",
        "llm chat gpt-4o-mini <- step 1",
        "step 1 <- run invoke_agent trip-planner",
        "tool execute_tool weather <- step 1",
        "llm chat gpt-4o-mini <- step 2",
        "step 2 <- run invoke_agent trip-planner",
        "tool execute_tool book_flight <- step 2",
        "llm chat gpt-4o-mini <- step 3",
        "step 3 <- run invoke_agent trip-planner",
      ].sort(),
    );
    // The chat span does not say which tools it called (the content goes to logs), only that it did.
    expect(
      collector.query(
        "SELECT name FROM spans WHERE run_id = ? AND kind = 'step' ORDER BY step_index",
        runOf("trip-planner"),
      ),
    ).toEqual([{ name: "tool calls" }, { name: "tool calls" }, { name: "answer" }]);
  });

  it("stores each chat call with model, tokens and price", () => {
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
      TURN_USAGE.map(([i, o]) => ["gpt-4o-mini", i, o]),
    );
    for (const [i, c] of calls.entries()) {
      expect(c.cost_usd).toBeCloseTo((TURN_USAGE[i]![0] * 0.15 + TURN_USAGE[i]![1] * 0.6) / 1e6, 12);
    }
  });

  it("keeps each tool call's tool, arguments and result", () => {
    expect(
      collector
        .query<{ tool: string; status: string; arguments: string; result: string | null }>(
          "SELECT tool, status, arguments, result FROM tool_calls WHERE run_id = ? ORDER BY started_at",
          runOf("trip-planner"),
        )
        .map((t) => ({ ...t, arguments: JSON.parse(t.arguments), result: t.result && JSON.parse(t.result) })),
    ).toEqual([
      {
        tool: "weather",
        status: "ok",
        arguments: { city: "Paris" },
        result: { city: "Paris", sky: "sunny", celsius: 8 },
      },
      { tool: "book_flight", status: "error", arguments: { to: "Paris", date: "2026-12-24" }, result: null },
    ]);
  });

  it("records the failing tool's failure at its turn, with its own arguments, type and stack", () => {
    for (const name of ["trip-planner", "trip-planner-strict"]) {
      const failures = collector.query<Record<string, string | number>>(
        "SELECT step, name, error_type, message, stack, input FROM failures WHERE run_id = ? AND kind = 'tool'",
        runOf(name),
      );
      expect(failures).toEqual([
        {
          step: 2,
          name: "execute_tool book_flight",
          error_type: "NoSeatsError",
          message: "no seats left to Paris",
          stack: expect.stringMatching(/NoSeatsError: no seats left to Paris\n\s+at /),
          input: expect.any(String),
        },
      ]);
      expect(JSON.parse(failures[0]!.input as string)).toEqual({ to: "Paris", date: "2026-12-24" });
    }
  });
});
