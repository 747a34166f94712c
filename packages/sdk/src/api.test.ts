import { SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { flush, init, shutdown } from "./init.js";
import { llm } from "./llm.js";
import { PreflightError, preflight } from "./preflight.js";
import { REDACTED } from "./redact.js";
import { run } from "./run.js";
import { step } from "./step.js";
import { ToolTimeoutError, tool } from "./tool.js";

const exporter = new InMemorySpanExporter();

beforeAll(() =>
  init({
    serviceName: "unit",
    exporter,
    redact: [/ACME-\d{6}/],
    maxAttributeChars: 2_000,
    handleProcessEvents: false,
  }),
);
afterAll(() => shutdown());
beforeEach(() => exporter.reset());

async function spans(): Promise<ReadableSpan[]> {
  await flush();
  return exporter.getFinishedSpans().filter((s) => s.attributes["flightrec.span.pending"] !== true);
}
const byKind = (all: ReadableSpan[], kind: string) =>
  all.filter((s) => s.attributes["flightrec.span.kind"] === kind);

function chatCompletion(overrides: Record<string, unknown> = {}) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    model: "gpt-4o-2024-08-06",
    choices: [{ index: 0, message: { role: "assistant", content: "Q3 looks off" }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: 1_000,
      completion_tokens: 200,
      prompt_tokens_details: { cached_tokens: 400 },
      completion_tokens_details: { reasoning_tokens: 50 },
    },
    ...overrides,
  };
}

describe("llm", () => {
  it("records model, tokens, cost and messages of a recognised response", async () => {
    const messages = [{ role: "user", content: "analyze" }];
    const out = await run("r", { runId: "llm-1" }, () =>
      llm({ provider: "openai", model: "gpt-4o", input: messages }, async () => chatCompletion()),
    );
    expect(out.id).toBe("chatcmpl-1");
    const [call] = byKind(await spans(), "llm");
    expect(call!.name).toBe("chat gpt-4o");
    expect(call!.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.input_tokens": 1_000,
      "gen_ai.usage.output_tokens": 200,
      "gen_ai.usage.cache_read.input_tokens": 400,
      "gen_ai.usage.reasoning.output_tokens": 50,
      "gen_ai.response.finish_reasons": ["stop"],
      "flightrec.run.id": "llm-1",
      "gen_ai.input.messages": JSON.stringify(messages),
    });
    // 600 uncached at $2.50, 400 cached at $1.25, 200 out at $10 per million.
    expect(call!.attributes["flightrec.cost.usd"]).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 200 * 10) / 1e6, 12);
    expect(JSON.parse(call!.attributes["gen_ai.output.messages"] as string)[0].parts[0]).toEqual({
      type: "text",
      content: "Q3 looks off",
    });
  });

  it("flags an unknown model instead of inventing a cost", async () => {
    await llm({ model: "home-made-7b" }, () => ({ text: "hi" }));
    await llm({ model: "home-made-7b", extract: () => ({ inputTokens: 5, outputTokens: 7 }) }, () => "hi");
    const [none, extracted] = byKind(await spans(), "llm");
    expect(none!.attributes["flightrec.cost.unknown_model"]).toBeUndefined();
    expect(extracted!.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 5,
      "gen_ai.usage.output_tokens": 7,
      "flightrec.cost.unknown_model": true,
    });
    expect(extracted!.attributes["flightrec.cost.usd"]).toBeUndefined();
  });

  it("ends a streamed call after its last chunk, with usage and time to first token", async () => {
    const order: string[] = [];
    async function* chunks() {
      const base = { id: "c1", object: "chat.completion.chunk", model: "gpt-4o-mini" };
      yield { ...base, choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] };
      yield { ...base, choices: [{ index: 0, delta: { content: "lo" }, finish_reason: "stop" }] };
      yield { ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 2 } };
      order.push("source done");
    }
    const stream = await llm({ provider: "openai", model: "gpt-4o-mini" }, async () => chunks());
    expect(byKind(await spans(), "llm")).toHaveLength(0);
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello");
    const [call] = byKind(await spans(), "llm");
    expect(call!.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 10,
      "gen_ai.usage.output_tokens": 2,
    });
    expect(call!.attributes["flightrec.cost.usd"]).toBeGreaterThan(0);
    expect(call!.attributes["flightrec.llm.time_to_first_token_ms"]).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(call!.attributes["gen_ai.output.messages"] as string)[0].parts).toEqual([
      { type: "text", content: "Hello" },
    ]);
    expect(order).toEqual(["source done"]);
  });

  it("records a stream that fails midway as an error, and rethrows it", async () => {
    const boom = new Error("connection reset");
    async function* chunks() {
      yield { object: "chat.completion.chunk", choices: [{ delta: { content: "x" } }] };
      throw boom;
    }
    const stream = await llm({ model: "gpt-4o", input: ["q"] }, () => Promise.resolve(chunks()));
    await expect(async () => {
      for await (const _ of stream) {
      }
    }).rejects.toBe(boom);
    const [call] = byKind(await spans(), "llm");
    expect(call!.status.code).toBe(SpanStatusCode.ERROR);
    expect(call!.attributes["flightrec.failure.input"]).toBe('["q"]');
  });

  it("ends the span when the consumer stops a stream early", async () => {
    async function* chunks() {
      for (let i = 0; ; i++)
        yield { object: "chat.completion.chunk", choices: [{ delta: { content: `${i}` } }] };
    }
    for await (const _ of llm({ model: "gpt-4o" }, () => chunks())) break;
    expect(byKind(await spans(), "llm")).toHaveLength(1);
  });
});

describe("tool", () => {
  it("records arguments and result", async () => {
    const result = await tool("add", { a: 1, b: 2 }, async ({ a, b }) => a + b);
    expect(result).toBe(3);
    const [call] = byKind(await spans(), "tool");
    expect(call!.name).toBe("execute_tool add");
    expect(call!.attributes).toMatchObject({
      "gen_ai.tool.name": "add",
      "gen_ai.tool.call.arguments": '{"a":1,"b":2}',
      "gen_ai.tool.call.result": "3",
    });
  });

  it("aborts through the signal after timeoutMs and records a timeout error", async () => {
    let aborted = false;
    const call = tool(
      "slow",
      { q: 1 },
      (_args, { signal }) =>
        new Promise((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
          setTimeout(resolve, 10_000).unref();
        }),
      { timeoutMs: 20 },
    );
    await expect(call).rejects.toBeInstanceOf(ToolTimeoutError);
    expect(aborted).toBe(true);
    const [span] = byKind(await spans(), "tool");
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes).toMatchObject({ "error.type": "timeout", "flightrec.failure.input": '{"q":1}' });
    expect(span!.events.find((e) => e.name === "exception")?.attributes?.["exception.type"]).toBe(
      "ToolTimeoutError",
    );
  });

  it("rejects a bad timeout with a clear error", () => {
    expect(() => tool("x", {}, () => 1, { timeoutMs: -5 })).toThrow(
      /timeoutMs must be a non-negative number/,
    );
  });

  it("captures the failing input and run context, and rethrows the user's error unchanged", async () => {
    const err = new RangeError("row 7 malformed");
    await expect(
      run("etl", { runId: "fail-1", input: { file: "q3.csv" } }, () =>
        step("parse", () => tool("parse_csv", { row: 7 }, () => Promise.reject(err))),
      ),
    ).rejects.toBe(err);
    const all = await spans();
    const [failed] = byKind(all, "tool");
    expect(failed!.attributes).toMatchObject({
      "flightrec.failure.input": '{"row":7}',
      "flightrec.run.input": '{"file":"q3.csv"}',
      "flightrec.step.index": 1,
    });
    const [stepSpan] = byKind(all, "step");
    expect(stepSpan!.attributes["flightrec.run.input"]).toBe('{"file":"q3.csv"}');
  });
});

describe("decide", () => {
  it("adds a decision event to the current step with the step's tokens and cost so far", async () => {
    await run("analyst", { runId: "dec-1" }, () =>
      step("choose", async () => {
        await llm({ provider: "openai", model: "gpt-4o" }, () => chatCompletion());
        decide({ action: "send_email", reasoning: "found anomaly in Q3 data", confidence: 0.9 });
      }),
    );
    const [stepSpan] = byKind(await spans(), "step");
    const event = stepSpan!.events.find((e) => e.name === "flightrec.decision")!;
    expect(event.attributes).toMatchObject({
      "flightrec.decision.action": "send_email",
      "flightrec.decision.reasoning": "found anomaly in Q3 data",
      "flightrec.decision.details": '{"confidence":0.9}',
      "flightrec.step.index": 1,
      "gen_ai.usage.input_tokens": 1_000,
      "gen_ai.usage.output_tokens": 200,
    });
    expect(event.attributes!["flightrec.cost.usd"]).toBeGreaterThan(0);
  });

  it("never throws, even when misused", () => {
    expect(() => decide({ action: "" })).not.toThrow();
    expect(() => decide(undefined as never)).not.toThrow();
  });
});

describe("redaction", () => {
  it("masks keys, bearer tokens, secret fields and user patterns before export", async () => {
    const input = {
      apiKey: "whatever-value",
      password: "hunter2",
      nested: { client_secret: "abc" },
      note: "use sk-proj-abcdefghijklmnopqrstuvwx and sk-ant-api03-ZZZZZZZZZZZZ with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y",
      order: "ticket ACME-123456",
      url: "https://x.test/?api_key=s3cr3t&x=1",
    };
    await tool("leaky", input, () => ({ echoed: input.note }));
    const [span] = byKind(await spans(), "tool");
    const text = JSON.stringify(span!.attributes);
    for (const secret of [
      "whatever-value",
      "hunter2",
      'abc"',
      "sk-proj-abc",
      "sk-ant-api03",
      "eyJhbGci",
      "ACME-123456",
      "s3cr3t",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(REDACTED);
    expect(text).toContain("ticket");
  });

  it("cuts oversize payloads with a visible marker", async () => {
    await tool("big", { blob: "x".repeat(10_000) }, () => null);
    const [span] = byKind(await spans(), "tool");
    const args = span!.attributes["gen_ai.tool.call.arguments"] as string;
    expect(args.length).toBe(2_000);
    expect(args.endsWith("…[truncated by flightrec]")).toBe(true);
  });

  it("redacts secrets quoted in error messages", async () => {
    await expect(
      tool("auth", {}, () => Promise.reject(new Error("401 for key sk-abcdefghijklmnopqrstuvwxyz"))),
    ).rejects.toThrow();
    const [span] = byKind(await spans(), "tool");
    expect(JSON.stringify(span!.events)).not.toContain("sk-abcdefghij");
    expect(span!.status.message).toContain(REDACTED);
  });
});

describe("preflight", () => {
  it("lists every missing requirement in one error and records a span", async () => {
    delete process.env.FLIGHTREC_TEST_MISSING_A;
    const attempt = preflight({
      env: ["FLIGHTREC_TEST_MISSING_A", "PATH"],
      binaries: ["node", "no-such-binary-xyz"],
      collector: "http://127.0.0.1:9",
      timeoutMs: 500,
    });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreflightError);
    expect((error as PreflightError).missing).toEqual([
      "environment variable FLIGHTREC_TEST_MISSING_A is not set",
      'executable "no-such-binary-xyz" is not on PATH',
      expect.stringMatching(/^collector at http:\/\/127\.0\.0\.1:9 is not reachable/),
    ]);
    const span = (await spans()).find((s) => s.name === "preflight")!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    await expect(preflight({ env: ["PATH"], binaries: ["node"] })).resolves.toBeUndefined();
  });
});

describe("concurrent runs", () => {
  it("keep IDs, tokens and decisions apart across 50 interleaved runs", async () => {
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        run("agent", { runId: `c-${i}` }, () =>
          step("think", async () => {
            await pause((i * 7) % 11);
            await llm(
              { model: "gpt-4o", extract: () => ({ inputTokens: i + 1, outputTokens: 1 }) },
              async () => {
                await pause((i * 3) % 5);
                return "ok";
              },
            );
            await tool("act", { i }, async () => pause((i * 5) % 7));
            decide({ action: `act-${i}` });
          }),
        ),
      ),
    );
    const all = await spans();
    expect(byKind(all, "llm")).toHaveLength(50);
    expect(byKind(all, "tool")).toHaveLength(50);
    for (const s of byKind(all, "step")) {
      const runId = s.attributes["flightrec.run.id"] as string;
      const i = Number(runId.slice(2));
      const event = s.events.find((e) => e.name === "flightrec.decision")!;
      expect(event.attributes).toMatchObject({
        "flightrec.decision.action": `act-${i}`,
        "gen_ai.usage.input_tokens": i + 1,
      });
    }
    for (const s of [...byKind(all, "llm"), ...byKind(all, "tool")]) {
      const parent = all.find((p) => p.spanContext().spanId === s.parentSpanContext?.spanId)!;
      expect(parent.attributes["flightrec.run.id"]).toBe(s.attributes["flightrec.run.id"]);
    }
  });
});
