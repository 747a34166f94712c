import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { exportingProvider } from "./exporting-provider.js";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { weatherModelSettings } from "./weather-model.js";

describe("Vercel AI SDK (ai 6) telemetry → OTLP/protobuf exporter → collector", () => {
  let collector: TestCollector;
  let traceId: string;

  beforeAll(async () => {
    collector = await startTestCollector();
    // The AI SDK nests its spans through the active context, as an app with a registered SDK has it.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const provider = exportingProvider(collector.server.url, "vercel-agent", "protobuf");
    const result = await generateText({
      model: new MockLanguageModelV3(weatherModelSettings()),
      prompt: "What is the weather in Paris?",
      tools: {
        weather: tool({
          description: "Current weather",
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, sky: "sunny" }),
        }),
      },
      stopWhen: stepCountIs(3),
      experimental_telemetry: { isEnabled: true, tracer: provider.getTracer("ai"), functionId: "forecast" },
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

  it("maps the model calls to LLM spans with model, provider and tokens, and the tool call to a tool span", () => {
    expect(
      collector.query(
        "SELECT kind, name, model, provider, input_tokens, output_tokens FROM spans ORDER BY start_ns, kind",
      ),
    ).toEqual([
      {
        kind: "other",
        name: "ai.generateText",
        model: "gpt-4o-mini",
        provider: "openai.chat",
        input_tokens: 30,
        output_tokens: 8,
      },
      {
        kind: "llm",
        name: "ai.generateText.doGenerate",
        model: "gpt-4o-mini",
        provider: "openai.chat",
        input_tokens: 10,
        output_tokens: 5,
      },
      {
        kind: "tool",
        name: "ai.toolCall",
        model: null,
        provider: null,
        input_tokens: null,
        output_tokens: null,
      },
      {
        kind: "llm",
        name: "ai.generateText.doGenerate",
        model: "gpt-4o-mini",
        provider: "openai.chat",
        input_tokens: 20,
        output_tokens: 3,
      },
    ]);
  });

  it("keeps prompts, answers, tool arguments and results as JSON", () => {
    const tool = collector.query<{ tool: string; arguments: string; result: string }>(
      "SELECT tool, arguments, result FROM tool_calls",
    )[0]!;
    expect(tool.tool).toBe("weather");
    expect(JSON.parse(tool.arguments)).toEqual({ city: "Paris" });
    expect(JSON.parse(tool.result)).toEqual({ city: "Paris", sky: "sunny" });
    const calls = collector.query<{ input: string; output: string }>(
      "SELECT input, output FROM llm_calls ORDER BY started_at",
    );
    expect(JSON.parse(calls[0]!.input)[0]).toMatchObject({ role: "user" });
    expect(JSON.parse(calls[1]!.output)).toBe("Sunny in Paris");
  });

  it("makes the trace a run named after the call, with usage counted once", () => {
    expect(
      collector.query("SELECT run_id, name, status, input_tokens, output_tokens, service FROM runs"),
    ).toEqual([
      {
        run_id: traceId,
        name: "ai.generateText",
        status: "ok",
        input_tokens: 30,
        output_tokens: 8,
        service: "vercel-agent",
      },
    ]);
  });
});
