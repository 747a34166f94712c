import { OpenTelemetry } from "@ai-sdk/otel";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { generateText, stepCountIs, tool } from "ai-v7";
import { MockLanguageModelV4 } from "ai-v7/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { exportingProvider } from "./exporting-provider.js";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { weatherModelSettings } from "./weather-model.js";

describe("Vercel AI SDK (ai 7, @ai-sdk/otel) telemetry → OTLP/protobuf exporter → collector", () => {
  let collector: TestCollector;
  let traceId: string;

  beforeAll(async () => {
    collector = await startTestCollector();
    // The AI SDK nests its spans through the active context, as an app with a registered SDK has it.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const provider = exportingProvider(collector.server.url, "vercel-agent", "protobuf");
    const result = await generateText({
      model: new MockLanguageModelV4(weatherModelSettings()),
      prompt: "What is the weather in Paris?",
      tools: {
        weather: tool({
          description: "Current weather",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, sky: "sunny" }),
        }),
      },
      stopWhen: stepCountIs(3),
      telemetry: {
        isEnabled: true,
        functionId: "forecast",
        integrations: [new OpenTelemetry({ tracer: provider.getTracer("ai") })],
      },
    });
    expect(result.text).toBe("Sunny in Paris");
    await provider.forceFlush();
    await provider.shutdown();
    traceId = (
      collector.query<{ trace_id: string }>("SELECT trace_id FROM spans LIMIT 1")[0] as { trace_id: string }
    ).trace_id;
  });
  afterAll(async () => {
    context.disable();
    await collector?.stop();
  });

  it("maps the agent, its steps (named by what the model decided), model calls and tool call to run, step, LLM and tool spans", () => {
    // Sibling spans may start in the same millisecond, so the rows are sorted by what they are.
    const row = (kind: string, name: string, stepIndex: number | null, usage: [number, number] | null) => ({
      kind,
      name,
      step_index: stepIndex,
      model: usage ? "gpt-4o-mini" : null,
      provider: usage ? "openai" : null,
      input_tokens: usage?.[0] ?? null,
      output_tokens: usage?.[1] ?? null,
    });
    expect(
      collector.query(
        "SELECT kind, name, step_index, model, provider, input_tokens, output_tokens FROM spans ORDER BY kind, name, input_tokens",
      ),
    ).toEqual([
      row("llm", "chat gpt-4o-mini", null, [10, 5]),
      row("llm", "chat gpt-4o-mini", null, [20, 3]),
      row("run", "invoke_agent gpt-4o-mini", null, [30, 8]),
      // Sent as "step 1" and "step 2": named by the tool the model called, then by its answer.
      row("step", "answer", 2, null),
      row("step", "weather", 1, null),
      row("tool", "execute_tool weather", null, null),
    ]);
  });

  it("keeps the conversation in the GenAI message format and the tool's arguments and result as JSON", () => {
    const tool = collector.query<{ tool: string; arguments: string; result: string }>(
      "SELECT tool, arguments, result FROM tool_calls",
    )[0]!;
    expect(tool.tool).toBe("weather");
    expect(JSON.parse(tool.arguments)).toEqual({ city: "Paris" });
    expect(JSON.parse(tool.result)).toEqual({ city: "Paris", sky: "sunny" });
    const calls = collector.query<{ input: string; output: string }>(
      "SELECT input, output FROM llm_calls ORDER BY started_at",
    );
    expect(JSON.parse(calls[0]!.input)).toEqual([
      { role: "user", parts: [{ type: "text", content: "What is the weather in Paris?" }] },
    ]);
    expect(JSON.parse(calls[1]!.output)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Sunny in Paris" }], finish_reason: "stop" },
    ]);
  });

  it("makes the trace a run named after the agent, with its steps and the model calls' usage and price", () => {
    const llmCost = collector.query<{ cost: number }>("SELECT sum(cost_usd) AS cost FROM llm_calls")[0]!.cost;
    // gpt-4o-mini at $0.15/M input and $0.60/M output: (10 + 20) in, (5 + 3) out.
    expect(llmCost).toBeCloseTo((30 * 0.15 + 8 * 0.6) / 1e6, 12);
    expect(
      collector.query(
        "SELECT run_id, name, status, steps, current_step, current_step_name, input_tokens, output_tokens, cost_usd, service FROM runs",
      ),
    ).toEqual([
      {
        run_id: traceId,
        name: "forecast",
        status: "ok",
        steps: 2,
        current_step: 2,
        current_step_name: "answer",
        input_tokens: 30,
        output_tokens: 8,
        cost_usd: llmCost,
        service: "vercel-agent",
      },
    ]);
  });
});
