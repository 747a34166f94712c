import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import * as openaiModule from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlmServer, startFakeLlmServer } from "../../sdk/test/fake-llm-server.js";
import { exportingProvider } from "./exporting-provider.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

describe("OpenInference instrumentation of the openai client → OTLP/JSON exporter → collector", () => {
  let collector: TestCollector;
  let llm: FakeLlmServer;

  beforeAll(async () => {
    collector = await startTestCollector();
    llm = await startFakeLlmServer();
    const provider = exportingProvider(collector.server.url, "phoenix-agent", "json");
    const instrumentation = new OpenAIInstrumentation({ tracerProvider: provider });
    // Typed as taking the client class, but it patches the module namespace (`module.OpenAI`), as
    // an ESM app has to hand it over since require hooks never see the import.
    instrumentation.manuallyInstrument(openaiModule as unknown as typeof openaiModule.OpenAI);
    const client = new openaiModule.OpenAI({ baseURL: `${llm.url}/v1`, apiKey: "sk-test" });
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Answer in one line." },
        { role: "user", content: "How did Q3 go?" },
      ],
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "And Q4?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _ of stream) {
      // drain: the instrumentation ends its span when the stream ends
    }
    // A tool round trip: the model calls sales_report, then answers from its result.
    const tools = [
      {
        type: "function" as const,
        function: {
          name: "sales_report",
          parameters: { type: "object", properties: { quarter: { type: "string" } } },
        },
      },
    ];
    const question = { role: "user" as const, content: "Why did Q3 drop?" };
    const first = await client.chat.completions.create({ model: "gpt-4o-mini", messages: [question], tools });
    const call = first.choices[0]!.message.tool_calls![0]!;
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      tools,
      messages: [
        question,
        first.choices[0]!.message,
        { role: "tool", tool_call_id: call.id, content: '{"revenue":"-12%"}' },
      ],
    });
    await provider.forceFlush();
    await provider.shutdown();
    instrumentation.disable();
  });
  afterAll(async () => {
    await llm?.close();
    await collector?.stop();
  });

  const calls = () =>
    collector.query<Record<string, unknown>>(
      `SELECT kind, name, model, provider, input_tokens, output_tokens, cost_usd, input, output, service, run_id, trace_id
       FROM spans ORDER BY start_ns`,
    );

  it("stores each chat completion, streamed or not, as an LLM call with model and provider", () => {
    expect(calls().slice(0, 2)).toMatchObject([
      { kind: "llm", model: "gpt-4o-mini", provider: "openai", input_tokens: 1200, output_tokens: 300 },
      // The instrumentation records no token counts for streamed calls; none are made up.
      {
        kind: "llm",
        model: "gpt-4o",
        provider: "openai",
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
      },
    ]);
  });

  it("prices a call at ingest, cached prompt tokens at the cached rate", () => {
    // gpt-4o-mini: 1,000 new prompt tokens at $0.15/M, 200 cached at $0.075/M, 300 output at $0.60/M.
    expect(calls()[0]!.cost_usd).toBeCloseTo((1000 * 0.15 + 200 * 0.075 + 300 * 0.6) / 1e6, 12);
  });

  it("keeps the conversation as messages, not the raw API payloads", () => {
    const [mini, streamed] = calls();
    expect(JSON.parse(mini!.input as string)).toEqual([
      { role: "system", content: "Answer in one line." },
      { role: "user", content: "How did Q3 go?" },
    ]);
    expect(JSON.parse(mini!.output as string)).toEqual([
      { role: "assistant", content: "The Q3 revenue dropped." },
    ]);
    expect(JSON.parse(streamed!.output as string)).toEqual([
      { role: "assistant", content: "The Q3 revenue dropped." },
    ]);
  });

  it("keeps tool calls in the conversation in the OpenAI message shape", () => {
    const [, , asks, answers] = calls();
    const toolCall = {
      id: "call_1",
      function: { name: "sales_report", arguments: '{"quarter":"Q3"}' },
    };
    expect(JSON.parse(asks!.output as string)).toEqual([{ role: "assistant", tool_calls: [toolCall] }]);
    expect(JSON.parse(answers!.input as string)).toEqual([
      { role: "user", content: "Why did Q3 drop?" },
      { role: "assistant", tool_calls: [toolCall] },
      { role: "tool", content: '{"revenue":"-12%"}', tool_call_id: "call_1" },
    ]);
  });

  it("lists each trace as a run of its own, with the calls' usage", () => {
    const runs = collector.query<Record<string, unknown>>(
      "SELECT run_id, status, service, input_tokens, cost_usd FROM runs ORDER BY started_at",
    );
    const [mini, full] = calls();
    expect(runs.slice(0, 2)).toEqual([
      {
        run_id: mini!.trace_id,
        status: "ok",
        service: "phoenix-agent",
        input_tokens: 1200,
        cost_usd: mini!.cost_usd,
      },
      { run_id: full!.trace_id, status: "ok", service: "phoenix-agent", input_tokens: null, cost_usd: null },
    ]);
  });
});
