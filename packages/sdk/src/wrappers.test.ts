import Anthropic from "@anthropic-ai/sdk";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeLlmServer, startFakeLlmServer } from "../test/fake-llm-server.js";
import { flush, init, shutdown } from "./init.js";
import { run } from "./run.js";
import { wrapAnthropic } from "./wrap-anthropic.js";
import { wrapOpenAI } from "./wrap-openai.js";

const exporter = new InMemorySpanExporter();
let server: FakeLlmServer;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  init({ serviceName: "wrappers", exporter, handleProcessEvents: false });
  server = await startFakeLlmServer();
  openai = wrapOpenAI(
    new OpenAI({ apiKey: "sk-test-000000000000000000", baseURL: `${server.url}/v1`, maxRetries: 0 }),
  );
  anthropic = wrapAnthropic(
    new Anthropic({ apiKey: "sk-ant-test-0000000000", baseURL: server.url, maxRetries: 0 }),
  );
});
afterAll(async () => {
  await shutdown();
  await server.close();
});
beforeEach(() => exporter.reset());

async function llmSpans(): Promise<ReadableSpan[]> {
  await flush();
  return exporter
    .getFinishedSpans()
    .filter(
      (s) => s.attributes["flightrec.span.kind"] === "llm" && s.attributes["flightrec.span.pending"] !== true,
    );
}

describe("wrapOpenAI", () => {
  it("traces chat.completions.create with tokens, cached and reasoning tokens, and cost", async () => {
    const messages = [{ role: "user" as const, content: "How did Q3 go?" }];
    const res = await run("r", { runId: "oa-1" }, () =>
      openai.chat.completions.create({ model: "gpt-4o", messages }),
    );
    expect(res.choices[0]?.message.content).toBe("The Q3 revenue dropped.");
    const [span] = await llmSpans();
    expect(span!.attributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 300,
      "gen_ai.usage.cache_read.input_tokens": 200,
      "gen_ai.usage.reasoning.output_tokens": 100,
      "flightrec.run.id": "oa-1",
      "gen_ai.input.messages": JSON.stringify(messages),
    });
    expect(span!.attributes["flightrec.cost.usd"]).toBeCloseTo(
      (1000 * 2.5 + 200 * 1.25 + 300 * 10) / 1e6,
      12,
    );
  });

  it("traces a streamed chat completion, ending after the last chunk with its usage", async () => {
    const stream = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("The Q3 revenue dropped.");
    const [span] = await llmSpans();
    expect(span!.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 300,
    });
    expect(span!.attributes["flightrec.cost.usd"]).toBeGreaterThan(0);
    expect(span!.attributes["flightrec.llm.time_to_first_token_ms"]).toBeGreaterThanOrEqual(0);
    expect(span!.attributes["gen_ai.output.messages"]).toContain("The Q3 revenue dropped.");
  });

  it("traces responses.create, streamed or not, with reasoning text", async () => {
    const res = await openai.responses.create({ model: "o3", input: "Explain Q3" });
    expect(res.output_text).toBe("Revenue fell 12%.");
    const stream = await openai.responses.create({ model: "o3", input: "Explain Q3", stream: true });
    const kinds: string[] = [];
    for await (const event of stream) kinds.push(event.type);
    expect(kinds.at(-1)).toBe("response.completed");
    const spans = await llmSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes).toMatchObject({
        "gen_ai.usage.input_tokens": 900,
        "gen_ai.usage.output_tokens": 400,
        "gen_ai.usage.reasoning.output_tokens": 250,
        "flightrec.llm.reasoning": "Compared Q3 with Q2.",
      });
      expect(span.attributes["flightrec.cost.usd"]).toBeGreaterThan(0);
    }
  });

  it("assembles a streamed tool call into the same output as the call not streamed", async () => {
    const params = {
      model: "gpt-4o",
      messages: [{ role: "user" as const, content: "Q3?" }],
      tools: [{ type: "function" as const, function: { name: "fetch_sales", parameters: {} } }],
    };
    await openai.chat.completions.create(params);
    const stream = await openai.chat.completions.create({ ...params, stream: true });
    for await (const _ of stream);
    const [whole, streamed] = await llmSpans();
    const output = JSON.parse(String(whole!.attributes["gen_ai.output.messages"]));
    expect(output).toEqual([
      {
        role: "assistant",
        parts: [{ type: "tool_call", name: "fetch_sales", arguments: '{"quarter":"Q3"}' }],
        finish_reason: "tool_calls",
      },
    ]);
    expect(JSON.parse(String(streamed!.attributes["gen_ai.output.messages"]))).toEqual(output);
  });

  it("records an API error on the span and rethrows the client's own error", async () => {
    const call = openai.chat.completions.create({
      model: "explode",
      messages: [{ role: "user", content: "boom" }],
    });
    await expect(call).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const [span] = await llmSpans();
    expect(span!.status.code).toBe(2);
    expect(span!.attributes["flightrec.failure.input"]).toContain("boom");
  });

  it("leaves the rest of the client working", () => {
    expect(openai.baseURL).toBe(`${server.url}/v1`);
    expect(typeof openai.models.list).toBe("function");
  });
});

describe("wrapAnthropic", () => {
  it("traces messages.create, counting cache reads and writes into input tokens once", async () => {
    const res = await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "Q3?" }],
    });
    expect(res.content.at(-1)).toMatchObject({ type: "text", text: "Send the alert." });
    const [span] = await llmSpans();
    expect(span!.attributes).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.cache_read.input_tokens": 800,
      "gen_ai.usage.cache_creation.input_tokens": 100,
      "gen_ai.usage.output_tokens": 50,
      "flightrec.llm.reasoning": "Q3 is below trend.",
      "gen_ai.response.finish_reasons": ["end_turn"],
    });
    expect(span!.attributes["flightrec.cost.usd"]).toBeCloseTo(
      (100 * 3 + 800 * 0.3 + 100 * 3.75 + 50 * 15) / 1e6,
      12,
    );
  });

  it("traces streamed messages with usage from message_start and message_delta", async () => {
    const stream = await anthropic.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user", content: "Q3?" }],
      stream: true,
    });
    let text = "";
    for await (const event of stream) {
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    }
    expect(text).toBe("Send the alert.");
    const [span] = await llmSpans();
    expect(span!.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 50,
    });
    expect(span!.attributes["flightrec.cost.usd"]).toBeGreaterThan(0);
    expect(JSON.parse(String(span!.attributes["gen_ai.output.messages"]))).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Send the alert." }], finish_reason: "end_turn" },
    ]);
  });

  it("assembles a streamed tool use, text and input, into the same output as the call not streamed", async () => {
    const params = {
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user" as const, content: "Q3?" }],
      tools: [{ name: "fetch_sales", input_schema: { type: "object" as const } }],
    };
    await anthropic.messages.create(params);
    const stream = await anthropic.messages.create({ ...params, stream: true });
    for await (const _ of stream);
    const [whole, streamed] = await llmSpans();
    const output = JSON.parse(String(whole!.attributes["gen_ai.output.messages"]));
    expect(output).toEqual([
      {
        role: "assistant",
        parts: [
          { type: "text", content: "Looking it up." },
          { type: "tool_call", name: "fetch_sales", arguments: '{"quarter":"Q3"}' },
        ],
        finish_reason: "tool_use",
      },
    ]);
    expect(JSON.parse(String(streamed!.attributes["gen_ai.output.messages"]))).toEqual(output);
  });

  it("records each call once: the client's own OpenTelemetry span of it is not a second LLM call", async () => {
    const params = {
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: [{ role: "user" as const, content: "Q3?" }],
    };
    await run("r", { runId: "an-once" }, async () => {
      await anthropic.messages.create(params);
      const stream = await anthropic.messages.create({ ...params, stream: true });
      for await (const _ of stream);
    });
    await flush();
    // Every model call on record, whoever recorded it: GenAI spans with token counts.
    const calls = exporter
      .getFinishedSpans()
      .filter((s) => s.attributes["gen_ai.usage.input_tokens"] !== undefined);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.attributes["flightrec.span.kind"]).toBe("llm");
      expect(call.attributes["gen_ai.output.messages"]).toContain("Send the alert.");
    }
  });

  it("traces the messages.stream helper too", async () => {
    const message = await anthropic.messages
      .stream({ model: "claude-sonnet-4-5", max_tokens: 100, messages: [{ role: "user", content: "Q3?" }] })
      .finalMessage();
    expect(message.usage.output_tokens).toBe(50);
    const [span] = await llmSpans();
    expect(span!.attributes["gen_ai.usage.output_tokens"]).toBe(50);
    expect(span!.attributes["gen_ai.output.messages"]).toContain("Send the alert.");
  });
});
