import { createOpenAI } from "@ai-sdk/openai";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import type { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { generateText, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type AgentModelServer,
  FINAL_ANSWER,
  startAgentModelServer,
  TURN_USAGE,
} from "./agent-model-server.js";
import { exportingProvider } from "./exporting-provider.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

class NoSeatsError extends Error {
  override name = "NoSeatsError";
}

/** The trip planner of the AI SDK docs' agent loop: a tool that works, one that throws. */
const tools = {
  weather: tool({
    description: "Current weather in a city",
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, sky: "sunny", celsius: 8 }),
  }),
  book_flight: tool({
    description: "Books a flight",
    inputSchema: z.object({ to: z.string(), date: z.string() }),
    execute: async ({ to }): Promise<string> => {
      throw new NoSeatsError(`no seats left to ${to}`);
    },
  }),
};

describe("Vercel AI SDK (ai 6, @ai-sdk/openai) agent loop → OTLP/protobuf exporter → collector", () => {
  let collector: TestCollector;
  let model: AgentModelServer;
  let provider: BasicTracerProvider;

  beforeAll(async () => {
    collector = await startTestCollector();
    model = await startAgentModelServer();
    // The AI SDK nests its spans through the active context, as an app with a registered SDK has it.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    provider = exportingProvider(collector.server.url, "vercel-agent", "protobuf");
    const openai = createOpenAI({ baseURL: model.url, apiKey: "sk-test" });
    const telemetry = (functionId: string) => ({
      isEnabled: true,
      tracer: provider.getTracer("ai"),
      functionId,
    });
    const prompt = "Plan my trip to Paris on Christmas Eve.";

    // Streamed, and the agent recovers: the model reads the tool error and answers.
    const recovered = streamText({
      model: openai.chat("gpt-4o-mini"),
      prompt,
      tools,
      stopWhen: stepCountIs(5),
      experimental_telemetry: telemetry("trip-planner"),
    });
    expect(await recovered.text).toBe(FINAL_ANSWER);

    // Not streamed, and it does not: the model request after the tool error fails, and so does the call.
    // (streamText would not do here: it leaves its own span ok when a later step fails.)
    model.afterTools = "fail";
    await expect(
      generateText({
        model: openai.chat("gpt-4o-mini"),
        prompt,
        tools,
        stopWhen: stepCountIs(5),
        maxRetries: 0,
        experimental_telemetry: telemetry("trip-planner-strict"),
      }),
    ).rejects.toThrow("model overloaded");
    await provider.forceFlush();
  });
  afterAll(async () => {
    await provider?.shutdown();
    context.disable();
    await model?.close();
    await collector?.stop();
  });

  const runOf = (name: string) =>
    collector.query<{ run_id: string }>("SELECT run_id FROM runs WHERE name = ?", name)[0]!.run_id;

  it("makes each call a run named by its functionId, ok when the agent recovered from the tool error", () => {
    const [prompt, out] = TURN_USAGE.reduce(([i, o], [a, b]) => [i + a, o + b], [0, 0]);
    expect(
      collector.query(
        `SELECT name, status, error, steps, current_step, current_step_name, input_tokens, output_tokens,
                service FROM runs ORDER BY started_at`,
      ),
    ).toEqual([
      {
        name: "trip-planner",
        status: "ok",
        error: null,
        steps: 3,
        current_step: 3,
        current_step_name: "answer",
        input_tokens: prompt,
        output_tokens: out,
        service: "vercel-agent",
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
        service: "vercel-agent",
      },
    ]);
  });

  it("counts each iteration of the loop as a step, named by what its model call decided", () => {
    for (const name of ["trip-planner", "trip-planner-strict"]) {
      expect(
        collector.query(
          "SELECT step_index, name FROM spans WHERE run_id = ? AND kind = 'step' ORDER BY step_index",
          runOf(name),
        ),
      ).toEqual([
        { step_index: 1, name: "weather" },
        { step_index: 2, name: "book_flight" },
        { step_index: 3, name: name === "trip-planner" ? "answer" : "model call" },
      ]);
    }
  });

  it("puts each model call and the tool calls it asked for under their step, for the replay", () => {
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
    const placed = rows.map((r) => {
      const parent = r.parent_span_id ? byId.get(r.parent_span_id) : undefined;
      return `${r.kind} ${r.name} <- ${parent ? `${parent.kind} ${parent.step_index ?? parent.name}` : "-"}`;
    });
    expect(placed).toEqual([
      "run ai.streamText <- -",
      "llm ai.streamText.doStream <- step 1",
      "step weather <- run ai.streamText",
      "tool weather <- step 1",
      "llm ai.streamText.doStream <- step 2",
      "step book_flight <- run ai.streamText",
      "tool book_flight <- step 2",
      "llm ai.streamText.doStream <- step 3",
      "step answer <- run ai.streamText",
    ]);
  });

  it("stores each model call with model, tokens and price, and a tool-calling turn's output as its tool calls", () => {
    const calls = collector.query<{
      model: string;
      input_tokens: number;
      output_tokens: number;
      cost_usd: number;
      output: string;
    }>(
      "SELECT model, input_tokens, output_tokens, cost_usd, output FROM llm_calls WHERE run_id = ? ORDER BY started_at",
      runOf("trip-planner"),
    );
    expect(calls.map((c) => [c.model, c.input_tokens, c.output_tokens])).toEqual(
      TURN_USAGE.map(([i, o]) => ["gpt-4o-mini", i, o]),
    );
    // gpt-4o-mini: $0.15/M input, $0.60/M output.
    for (const [i, c] of calls.entries()) {
      expect(c.cost_usd).toBeCloseTo((TURN_USAGE[i]![0] * 0.15 + TURN_USAGE[i]![1] * 0.6) / 1e6, 12);
    }
    expect(JSON.parse(calls[0]!.output)).toMatchObject([{ toolName: "weather", toolCallId: "call_weather" }]);
    expect(JSON.parse(calls[2]!.output)).toBe(FINAL_ANSWER);
  });

  it("names tool spans by the tool, with its arguments and result", () => {
    expect(
      collector
        .query<{ name: string; tool: string; status: string; input: string; output: string | null }>(
          "SELECT name, tool, status, input, output FROM spans WHERE run_id = ? AND kind = 'tool' ORDER BY start_ns",
          runOf("trip-planner"),
        )
        .map((t) => ({ ...t, input: JSON.parse(t.input), output: t.output && JSON.parse(t.output) })),
    ).toEqual([
      {
        name: "weather",
        tool: "weather",
        status: "ok",
        input: { city: "Paris" },
        output: { city: "Paris", sky: "sunny", celsius: 8 },
      },
      {
        name: "book_flight",
        tool: "book_flight",
        status: "error",
        input: { to: "Paris", date: "2026-12-24" },
        output: null,
      },
    ]);
  });

  it("records the failing tool's failure at its step, with its own arguments, type and stack", () => {
    for (const name of ["trip-planner", "trip-planner-strict"]) {
      const failure = collector.query<Record<string, string | number>>(
        "SELECT step, kind, name, error_type, message, stack, input FROM failures WHERE run_id = ? AND kind = 'tool'",
        runOf(name),
      );
      expect(failure).toEqual([
        {
          step: 2,
          kind: "tool",
          name: "book_flight",
          error_type: "NoSeatsError",
          message: "no seats left to Paris",
          stack: expect.stringMatching(/NoSeatsError: no seats left to Paris\n\s+at /),
          input: expect.any(String),
        },
      ]);
      expect(JSON.parse(failure[0]!.input as string)).toEqual({ to: "Paris", date: "2026-12-24" });
    }
  });

  it("reads the streamed calls' time to first chunk as time to first token", () => {
    const ttft = collector.query<{ ttft: number | null }>(
      `SELECT json_extract(attributes, '$."flightrec.llm.time_to_first_token_ms"') AS ttft
       FROM spans WHERE run_id = ? AND kind = 'llm' ORDER BY start_ns`,
      runOf("trip-planner"),
    );
    expect(ttft.map((r) => typeof r.ttft)).toEqual(["number", "number", "number"]);
  });

  it("counts on /metrics the spans the agent sent, not the steps derived from them", async () => {
    // Per run: the call, three model calls, two tool calls; each model call also made a step.
    expect(collector.query("SELECT count(*) AS n FROM spans")).toEqual([{ n: 2 * (6 + 3) }]);
    const text = await (await fetch(`${collector.server.url}/metrics`)).text();
    expect(text).toMatch(/^flightrec_spans_received_total 12$/m);
    expect(text).toMatch(/^flightrec_spans_stored_total 12$/m);
  });
});
