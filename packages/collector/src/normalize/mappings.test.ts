import {
  SemanticConventions as OI,
  OpenInferenceSpanKind,
} from "@arizeai/openinference-semantic-conventions";
import { SpanAttributes as TL, TraceloopSpanKindValues } from "@traceloop/ai-semantic-conventions";
import { describe, expect, it } from "vitest";
import type { OtlpKeyValue } from "../otlp/types.js";
import { normalizeRequest } from "./normalize-request.js";

/** Attribute names come from each project's own conventions package, never typed by hand where one exists. */
function normalize(attributes: Record<string, string | number>, name = "span") {
  return normalizeAll(attributes, name)[0]!;
}

function normalizeAll(attributes: Record<string, string | number>, name = "span") {
  const kv: OtlpKeyValue[] = Object.entries(attributes).map(([key, v]) => ({
    key,
    value:
      typeof v === "string" ? { stringValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v },
  }));
  const batch = normalizeRequest({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: "0af7651916cd43dd8448eb211c80319c",
                spanId: "b7ad6b7169203331",
                name,
                startTimeUnixNano: "1763900000000000000",
                endTimeUnixNano: "1763900001000000000",
                attributes: kv,
              },
            ],
          },
        ],
      },
    ],
  });
  expect(batch.rejected).toEqual([]);
  return batch.spans;
}

describe("normalization by source", () => {
  it("OpenTelemetry GenAI, current names", () => {
    const r = normalize({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4",
      "gen_ai.response.model": "claude-sonnet-4-20250514",
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 200,
      "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
      "gen_ai.output.messages": '[{"role":"assistant","parts":[{"type":"text","content":"hello"}]}]',
    });
    expect(r).toMatchObject({
      kind: "llm",
      provider: "anthropic",
      model: "claude-sonnet-4-20250514",
      inputTokens: 1000,
      outputTokens: 200,
    });
    expect(JSON.parse(r.input!)[0].role).toBe("user");
    expect(JSON.parse(r.output!)[0].role).toBe("assistant");
  });

  it("OpenTelemetry GenAI, deprecated names still emitted", () => {
    const r = normalize({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.prompt_tokens": 40,
      "gen_ai.usage.completion_tokens": 7,
    });
    expect(r).toMatchObject({
      kind: "llm",
      provider: "openai",
      model: "gpt-4o",
      inputTokens: 40,
      outputTokens: 7,
    });
  });

  it("OpenTelemetry GenAI tool and agent spans", () => {
    expect(normalize({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "search" }).kind).toBe(
      "tool",
    );
    expect(
      normalize({ "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner" }),
    ).toMatchObject({
      kind: "run",
      runName: "planner",
    });
  });

  it("OpenInference (Arize Phoenix)", () => {
    const r = normalize({
      [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.LLM,
      [OI.LLM_MODEL_NAME]: "gpt-4o-mini",
      [OI.LLM_PROVIDER]: "openai",
      [OI.LLM_TOKEN_COUNT_PROMPT]: 12,
      [OI.LLM_TOKEN_COUNT_COMPLETION]: 4,
      [OI.LLM_COST_TOTAL]: 0.0003,
      [OI.INPUT_VALUE]: '{"messages":[{"role":"user","content":"hi"}]}',
      [OI.OUTPUT_VALUE]: "hello",
      [OI.SESSION_ID]: "session-42",
    });
    expect(r).toMatchObject({
      kind: "llm",
      model: "gpt-4o-mini",
      provider: "openai",
      inputTokens: 12,
      outputTokens: 4,
      costUsd: 0.0003,
      requestId: "session-42",
    });
    expect(JSON.parse(r.input!)).toEqual({ messages: [{ role: "user", content: "hi" }] });
    expect(JSON.parse(r.output!)).toBe("hello");
    expect(
      normalize({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.TOOL, [OI.TOOL_NAME]: "lookup" }).kind,
    ).toBe("tool");
    expect(normalize({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.AGENT }, "agent").kind).toBe(
      "run",
    );
    expect(normalize({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.CHAIN }).kind).toBe("other");
  });

  it("OpenInference flattened message lists", () => {
    const r = normalize({
      [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.LLM,
      [`${OI.LLM_INPUT_MESSAGES}.0.message.role`]: "system",
      [`${OI.LLM_INPUT_MESSAGES}.0.message.content`]: "be brief",
      [`${OI.LLM_INPUT_MESSAGES}.1.message.role`]: "user",
      [`${OI.LLM_INPUT_MESSAGES}.1.message.content`]: "hi",
    });
    expect(JSON.parse(r.input!)).toEqual([
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
    ]);
  });

  it("Traceloop / OpenLLMetry", () => {
    const r = normalize({
      [TL.LLM_REQUEST_TYPE]: "chat",
      "gen_ai.system": "OpenAI",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.prompt_tokens": 30,
      "gen_ai.usage.completion_tokens": 9,
      "gen_ai.prompt.0.role": "user",
      "gen_ai.prompt.0.content": "Tell me a joke",
      "gen_ai.completion.0.role": "assistant",
      "gen_ai.completion.0.content": "Why did…",
      "gen_ai.completion.0.finish_reason": "stop",
    });
    expect(r).toMatchObject({
      kind: "llm",
      provider: "OpenAI",
      model: "gpt-4o-2024-08-06",
      inputTokens: 30,
      outputTokens: 9,
    });
    expect(JSON.parse(r.input!)).toEqual([{ role: "user", content: "Tell me a joke" }]);
    expect(JSON.parse(r.output!)).toEqual([
      { role: "assistant", content: "Why did…", finish_reason: "stop" },
    ]);
    const workflow = normalize({
      [TL.TRACELOOP_SPAN_KIND]: TraceloopSpanKindValues.WORKFLOW,
      [TL.TRACELOOP_WORKFLOW_NAME]: "joke_generator",
      [TL.TRACELOOP_ENTITY_INPUT]: '{"topic":"cats"}',
    });
    expect(workflow).toMatchObject({ kind: "run", runName: "joke_generator", input: '{"topic":"cats"}' });
    expect(normalize({ [TL.TRACELOOP_SPAN_KIND]: TraceloopSpanKindValues.TASK }).kind).toBe("step");
    // Entity spans are named "<name>.<kind>"; every span of a workflow carries its name.
    const task = normalize(
      {
        [TL.TRACELOOP_SPAN_KIND]: TraceloopSpanKindValues.TASK,
        [TL.TRACELOOP_ENTITY_NAME]: "research",
        [TL.TRACELOOP_WORKFLOW_NAME]: "trip-planner",
      },
      "research.task",
    );
    expect(task).toMatchObject({ kind: "step", name: "research", runName: "trip-planner" });
    expect(normalize({ [TL.TRACELOOP_SPAN_KIND]: TraceloopSpanKindValues.TOOL }).kind).toBe("tool");
  });

  it("Vercel AI SDK v7 spans, which use the GenAI names", () => {
    const r = normalize({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 5,
      "gen_ai.usage.output_tokens": 2,
    });
    expect(r).toMatchObject({ kind: "llm", provider: "openai", inputTokens: 5 });
    // @ai-sdk/otel's agent steps carry their number only in the span name.
    expect(normalize({ "gen_ai.operation.name": "agent_step" }, "step 3")).toMatchObject({
      kind: "step",
      stepIndex: 3,
    });
    expect(normalize({ "gen_ai.operation.name": "agent_step" }, "planning")).toMatchObject({
      kind: "step",
      stepIndex: null,
    });
  });

  it("Vercel AI SDK v7: a step named by its number is marked, its chat call carries the name it decided", () => {
    const numbered = normalize({ "gen_ai.operation.name": "agent_step" }, "step 3");
    expect(numbered).toMatchObject({ kind: "step", name: "step 3", namedByCall: true });
    expect(JSON.parse(numbered.attributes)).toMatchObject({ "flightrec.step.named_by_call": true });
    expect(normalize({ "gen_ai.operation.name": "agent_step" }, "planning").namedByCall).toBeUndefined();
    const chat = {
      "gen_ai.operation.name": "chat",
      "gen_ai.response.finish_reasons": "tool-calls",
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "tool_call", id: "c1", name: "weather", arguments: {} }] },
      ]),
    };
    const call = normalize(chat, "chat gpt-4o-mini");
    expect(call).toMatchObject({ kind: "llm", name: "chat gpt-4o-mini", decidedStep: "weather" });
    expect(JSON.parse(call.attributes)).toMatchObject({ "flightrec.step.decided": "weather" });
    const answer = { "gen_ai.operation.name": "chat", "gen_ai.response.finish_reasons": "stop" };
    expect(normalize(answer).decidedStep).toBe("answer");
    // A call that decided nothing (yet) names nothing; our SDK's calls are in steps it names itself.
    expect(normalize({ "gen_ai.operation.name": "chat" }).decidedStep).toBeUndefined();
    expect(normalize({ ...answer, "flightrec.span.kind": "llm" }).decidedStep).toBeUndefined();
  });

  it("Vercel AI SDK v5/v6: the call is the run, named by its functionId; tool spans by their tool", () => {
    const call = {
      "ai.telemetry.functionId": "trip-planner",
      "operation.name": "ai.generateText trip-planner",
    };
    expect(normalize({ ...call, "ai.operationId": "ai.generateText" }, "ai.generateText")).toMatchObject({
      kind: "run",
      runName: "trip-planner",
    });
    expect(normalize({ ...call, "ai.operationId": "ai.streamText" }, "ai.streamText").kind).toBe("run");
    expect(normalize({ ...call, "ai.operationId": "ai.embed" }, "ai.embed").kind).toBe("other");
    const tool = normalize(
      {
        ...call,
        "ai.operationId": "ai.toolCall",
        "ai.toolCall.name": "weather",
        "ai.toolCall.id": "call_1",
        "ai.toolCall.args": '{"city":"Paris"}',
        "ai.toolCall.result": '{"sky":"sunny"}',
      },
      "ai.toolCall",
    );
    expect(tool).toMatchObject({
      kind: "tool",
      name: "weather",
      input: '{"city":"Paris"}',
      output: '{"sky":"sunny"}',
      joinsTurn: true,
    });
  });

  it("Vercel AI SDK v5/v6: each model call opens a step named by what it decided", () => {
    const doGenerate = {
      "ai.operationId": "ai.generateText.doGenerate",
      "ai.model.provider": "openai.chat",
      "ai.model.id": "gpt-4o-mini",
      "ai.usage.inputTokens": 100,
      "ai.usage.outputTokens": 20,
      "ai.response.finishReason": "tool-calls",
      "ai.response.text": "",
      "ai.response.toolCalls":
        '[{"toolCallId":"call_1","toolName":"weather","input":"{}"},{"toolCallId":"call_2","toolName":"book_flight","input":"{}"}]',
    };
    const [step, call] = normalizeAll(doGenerate, "ai.generateText.doGenerate");
    expect(step).toMatchObject({
      kind: "step",
      name: "weather, book_flight",
      spanId: "4852948e96dfccce", // b7ad6b7169203331, bit-inverted
      parentSpanId: null,
      stepIndex: null,
      inputTokens: null,
      opensTurn: true,
      attributes: '{"flightrec.step.opened_by":"b7ad6b7169203331"}',
    });
    expect(call).toMatchObject({
      kind: "llm",
      spanId: "b7ad6b7169203331",
      parentSpanId: step!.spanId,
      inputTokens: 100,
    });
    // The empty text of a step that only called tools yields to the tool calls.
    expect(JSON.parse(call!.output!)[0].toolName).toBe("weather");
    const answer = { ...doGenerate, "ai.response.finishReason": "stop", "ai.response.text": "Sunny" };
    delete (answer as Record<string, unknown>)["ai.response.toolCalls"];
    expect(normalizeAll(answer)[0]).toMatchObject({ kind: "step", name: "answer" });
    const streamed = normalizeAll({
      ...answer,
      "ai.operationId": "ai.streamText.doStream",
      "ai.response.msToFirstChunk": 42.5,
    });
    expect(JSON.parse(streamed[1]!.attributes)["flightrec.llm.time_to_first_token_ms"]).toBe(42.5);
    // A lone model call (ai.embed's, generateObject's) is no loop iteration.
    expect(normalizeAll({ ...answer, "ai.operationId": "ai.generateObject.doGenerate" })).toHaveLength(1);
  });

  it("OTel GenAI: a chat call of the openai instrumentation inside another span opens a turn", () => {
    const chat = (scope: string, parentSpanId?: string) =>
      normalizeRequest({
        resourceSpans: [
          {
            scopeSpans: [
              {
                scope: { name: scope },
                spans: [
                  {
                    traceId: "0af7651916cd43dd8448eb211c80319c",
                    spanId: "b7ad6b7169203331",
                    parentSpanId,
                    name: "chat gpt-4o-mini",
                    startTimeUnixNano: "1763900000000000000",
                    endTimeUnixNano: "1763900001000000000",
                    attributes: [
                      { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
                      {
                        key: "gen_ai.response.finish_reasons",
                        value: { arrayValue: { values: [{ stringValue: "tool_calls" }] } },
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }).spans;
    const [step, call] = chat("@opentelemetry/instrumentation-openai", "a000000000000000");
    expect(step).toMatchObject({ kind: "step", name: "tool calls", parentSpanId: "a000000000000000" });
    expect(call).toMatchObject({ kind: "llm", parentSpanId: step!.spanId });
    // A call on its own is no turn; nor is another instrumentation's (its framework has its steps).
    expect(chat("@opentelemetry/instrumentation-openai")).toHaveLength(1);
    expect(chat("@traceloop/instrumentation-openai", "a000000000000000")).toHaveLength(1);
    expect(
      normalize({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "weather" }).joinsTurn,
    ).toBe(true);
  });

  it("leaves cost empty when a third-party call has tokens but no price is known", () => {
    const r = normalize({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "unknown-model",
      "gen_ai.usage.input_tokens": 5,
    });
    expect(r.costUsd).toBeNull();
  });
});
