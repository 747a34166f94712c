import { flush, shutdown } from "@flightrec/sdk";
import type { Span, SpanData, SpanError, Trace } from "@openai/agents";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { flightrecTracingProcessor } from "./tracing-processor.js";

const exporter = new InMemorySpanExporter();
const processor = flightrecTracingProcessor({ exporter, handleProcessEvents: false });

/** The parts of an Agents SDK trace and span the processor reads. */
const agentsTrace = (traceId: string, name: string) => ({ traceId, name, groupId: null }) as unknown as Trace;
function agentsSpan(traceId: string, spanId: string, parentId: string | null, spanData: SpanData) {
  return {
    traceId,
    spanId,
    parentId,
    spanData,
    error: null as SpanError | null,
  } as unknown as Span<SpanData> & {
    error: SpanError | null;
  };
}

/** Finished spans (placeholders left out), by name. */
async function exported(): Promise<Map<string, ReadableSpan>> {
  await flush();
  const finished = exporter.getFinishedSpans().filter((s) => s.attributes["flightrec.span.pending"] !== true);
  return new Map(finished.map((s) => [s.name, s]));
}

describe("flightrecTracingProcessor", () => {
  beforeEach(() => exporter.reset());
  afterAll(() => shutdown());

  it("nests turns, model calls and tools under the run, the way the Agents SDK nests them", async () => {
    await processor.onTraceStart(agentsTrace("trace_1", "nesting"));
    const task = agentsSpan("trace_1", "task", null, { type: "task", name: "nesting" });
    const agent = agentsSpan("trace_1", "agent", "task", { type: "agent", name: "A" });
    const turn = agentsSpan("trace_1", "turn", "agent", { type: "turn", turn: 1, agent_name: "A" });
    const tool = agentsSpan("trace_1", "fn", "turn", {
      type: "function",
      name: "lookup",
      input: '{"q":1}',
      output: '"found"',
    });
    for (const span of [task, agent, turn, tool]) await processor.onSpanStart(span);
    for (const span of [tool, turn, agent, task]) await processor.onSpanEnd(span);
    await processor.onTraceEnd(agentsTrace("trace_1", "nesting"));

    const spans = await exported();
    const run = spans.get("invoke_agent nesting")!;
    const step = spans.get("A: lookup")!;
    expect([...spans.keys()].sort()).toEqual([
      "A: lookup",
      "agent A",
      "execute_tool lookup",
      "invoke_agent nesting",
    ]);
    expect(step.attributes["flightrec.step.name"]).toBe("A: lookup");
    expect(spans.get("agent A")!.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
    expect(step.parentSpanContext?.spanId).toBe(spans.get("agent A")!.spanContext().spanId);
    expect(spans.get("execute_tool lookup")!.parentSpanContext?.spanId).toBe(step.spanContext().spanId);
    expect(step.attributes).toMatchObject({ "flightrec.step.index": 1, "flightrec.run.id": "trace_1" });
    expect(spans.get("execute_tool lookup")!.attributes).toMatchObject({
      "flightrec.step.index": 1,
      "gen_ai.tool.call.arguments": '{"q":1}',
      "gen_ai.tool.call.result": '"found"',
    });
    expect(run.status.code).not.toBe(2);
  });

  it("records a Chat Completions call (a generation span) as an LLM call with tokens, cost and messages", async () => {
    await processor.onTraceStart(agentsTrace("trace_3", "chat"));
    const turn = agentsSpan("trace_3", "turn", null, { type: "turn", turn: 1, agent_name: "A" });
    const generation = agentsSpan("trace_3", "gen", "turn", { type: "generation" });
    await processor.onSpanStart(turn);
    await processor.onSpanStart(generation);
    Object.assign(generation.spanData, {
      model: "gpt-4o-mini",
      input: [{ role: "user", content: "hi" }],
      output: [
        {
          object: "chat.completion",
          id: "chatcmpl-1",
          model: "gpt-4o-mini",
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "hello" } }],
          usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
        },
      ],
    });
    for (const span of [generation, turn]) await processor.onSpanEnd(span);
    await processor.onTraceEnd(agentsTrace("trace_3", "chat"));

    const spans = await exported();
    const call = spans.get("chat gpt-4o-mini")!;
    expect(call.attributes).toMatchObject({
      "flightrec.span.kind": "llm",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 3,
      "gen_ai.input.messages": '[{"role":"user","content":"hi"}]',
      "flightrec.step.index": 1,
    });
    expect(call.attributes["flightrec.cost.usd"]).toBeGreaterThan(0);
    expect(JSON.parse(call.attributes["gen_ai.output.messages"] as string)[0].parts).toEqual([
      { type: "text", content: "hello" },
    ]);
    expect(spans.has("A: answer")).toBe(true);
    expect(spans.get("invoke_agent chat")!.attributes["flightrec.run.output"]).toBe('"hello"');
  });

  it("leaves messages, arguments and results out with captureContent: false, keeping names and usage", async () => {
    const quiet = flightrecTracingProcessor({ captureContent: false });
    await quiet.onTraceStart(agentsTrace("trace_4", "private"));
    const turn = agentsSpan("trace_4", "turn", null, { type: "turn", turn: 1, agent_name: "A" });
    const response = agentsSpan("trace_4", "resp", "turn", {
      type: "response",
      _input: [{ type: "message", role: "user", content: "my card is 4111 1111 1111 1111" }],
      _response: {
        object: "response",
        model: "gpt-4o-mini",
        status: "completed",
        output: [{ type: "message", content: [{ type: "output_text", text: "noted" }] }],
        usage: { input_tokens: 20, output_tokens: 2 },
      },
    });
    const tool = agentsSpan("trace_4", "fn", "turn", {
      type: "function",
      name: "save",
      input: '{"card":"4111"}',
      output: "ok",
    });
    for (const span of [turn, response, tool]) await quiet.onSpanStart(span);
    for (const span of [response, tool, turn]) await quiet.onSpanEnd(span);
    await quiet.onTraceEnd(agentsTrace("trace_4", "private"));

    const spans = await exported();
    const attributes = [...spans.values()].map((s) => JSON.stringify(s.attributes)).join("\n");
    expect(attributes).not.toContain("4111");
    expect(attributes).not.toContain("noted");
    expect(spans.get("chat gpt-4o-mini")!.attributes).toMatchObject({
      "gen_ai.usage.input_tokens": 20,
      "gen_ai.usage.output_tokens": 2,
    });
    expect(spans.get("execute_tool save")!.attributes["gen_ai.tool.name"]).toBe("save");
    expect(spans.has("A: save")).toBe(true);
  });

  it("makes a guardrail whose tripwire triggered a failure of its own", async () => {
    await processor.onTraceStart(agentsTrace("trace_5", "guarded"));
    const guardrail = agentsSpan("trace_5", "g", null, {
      type: "guardrail",
      name: "no_pii",
      triggered: false,
    });
    await processor.onSpanStart(guardrail);
    Object.assign(guardrail.spanData, { triggered: true });
    await processor.onSpanEnd(guardrail);
    await processor.onTraceEnd(agentsTrace("trace_5", "guarded"));

    const span = (await exported()).get("guardrail no_pii")!;
    expect(span.status.code).toBe(2);
    expect(span.attributes["openai_agents.guardrail.triggered"]).toBe(true);
    expect(span.events.find((e) => e.name === "exception")?.attributes).toMatchObject({
      "exception.type": "GuardrailTripwireTriggered",
      "exception.message": "guardrail no_pii tripwire triggered",
    });
  });

  it("ends a run whose runner failed, though the Agents SDK never ends its trace", async () => {
    await processor.onTraceStart(agentsTrace("trace_2", "failing"));
    const task = agentsSpan("trace_2", "task", null, { type: "task", name: "failing" });
    const turn = agentsSpan("trace_2", "turn", "task", { type: "turn", turn: 1, agent_name: "A" });
    const tool = agentsSpan("trace_2", "fn", "turn", {
      type: "function",
      name: "boom",
      input: "{}",
      output: "",
    });
    for (const span of [task, turn, tool]) await processor.onSpanStart(span);
    tool.error = { message: "Error running tool", data: { error: "TypeError: x is not a function" } };
    turn.error = task.error = {
      message: "Error in agent run",
      data: { error: "ToolCallError: Failed to run function tools: TypeError: x is not a function" },
    };
    for (const span of [tool, turn, task]) await processor.onSpanEnd(span);

    const spans = await exported();
    const run = spans.get("invoke_agent failing")!;
    expect(run.status.code).toBe(2);
    expect(run.events.find((e) => e.name === "exception")?.attributes?.["exception.type"]).toBe(
      "ToolCallError",
    );
    const failed = spans.get("execute_tool boom")!;
    expect(failed.events.find((e) => e.name === "exception")?.attributes).toMatchObject({
      "exception.type": "TypeError",
      "exception.message": "x is not a function",
    });
    expect(failed.attributes["flightrec.failure.input"]).toBe("{}");
  });

  it("never throws into the agent, whatever it is handed", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const hostile = new Proxy({} as Trace, {
      get() {
        throw new Error("hostile");
      },
    });
    await expect(processor.onTraceStart(hostile)).resolves.toBeUndefined();
    await expect(processor.onTraceEnd(agentsTrace("never-started", "x"))).resolves.toBeUndefined();
    await expect(
      processor.onSpanStart(agentsSpan("never-started", "s", null, { type: "task", name: "x" })),
    ).resolves.toBeUndefined();
    await expect(processor.forceFlush()).resolves.toBeUndefined();
    warn.mockRestore();
  });
});
