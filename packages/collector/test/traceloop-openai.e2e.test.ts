import { OpenAIInstrumentation } from "@traceloop/instrumentation-openai";
import * as openaiModule from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlmServer, startFakeLlmServer } from "../../sdk/test/fake-llm-server.js";
import { exportingProvider } from "./exporting-provider.js";
import { startTestCollector, type TestCollector } from "./helpers.js";

describe("Traceloop (OpenLLMetry) instrumentation of the openai client → OTLP/protobuf exporter → collector", () => {
  let collector: TestCollector;
  let llm: FakeLlmServer;

  beforeAll(async () => {
    collector = await startTestCollector();
    llm = await startFakeLlmServer();
    const provider = exportingProvider(collector.server.url, "openllmetry-agent", "protobuf");
    const instrumentation = new OpenAIInstrumentation({ enrichTokens: false });
    instrumentation.setTracerProvider(provider);
    instrumentation.manuallyInstrument(openaiModule.OpenAI);
    const client = new openaiModule.OpenAI({ baseURL: `${llm.url}/v1`, apiKey: "sk-test" });
    await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "How did Q3 go?" }],
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
      `SELECT kind, name, model, provider, input_tokens, output_tokens, cost_usd, input, output, trace_id
       FROM spans ORDER BY start_ns`,
    );

  it("stores each chat completion, streamed or not, as an LLM call with model and provider", () => {
    expect(calls()).toMatchObject([
      {
        kind: "llm",
        name: "chat gpt-4o-mini",
        model: "gpt-4o-mini",
        provider: "openai",
        input_tokens: 1200,
        output_tokens: 300,
      },
      // With token enrichment off the instrumentation records no usage for streams; none is made up.
      {
        kind: "llm",
        name: "chat gpt-4o",
        model: "gpt-4o",
        provider: "openai",
        input_tokens: null,
        output_tokens: null,
        cost_usd: null,
      },
    ]);
  });

  it("prices a call at ingest from the SDK's price table", () => {
    // gpt-4o-mini: 1,200 prompt tokens at $0.15/M, 300 output at $0.60/M (no cached count is recorded).
    expect(calls()[0]!.cost_usd).toBeCloseTo((1200 * 0.15 + 300 * 0.6) / 1e6, 12);
  });

  it("keeps the conversation in the OpenTelemetry GenAI message format", () => {
    const [mini, streamed] = calls();
    expect(JSON.parse(mini!.input as string)).toEqual([
      { role: "user", parts: [{ type: "text", content: "How did Q3 go?" }] },
    ]);
    expect(JSON.parse(streamed!.output as string)).toMatchObject([
      { role: "assistant", parts: [{ type: "text", content: "The Q3 revenue dropped." }] },
    ]);
  });

  it("lists each trace as a run of its own, with the call's usage", () => {
    const [mini, full] = calls();
    expect(collector.query("SELECT run_id, status, service, cost_usd FROM runs ORDER BY started_at")).toEqual(
      [
        { run_id: mini!.trace_id, status: "ok", service: "openllmetry-agent", cost_usd: mini!.cost_usd },
        { run_id: full!.trace_id, status: "ok", service: "openllmetry-agent", cost_usd: null },
      ],
    );
  });
});
