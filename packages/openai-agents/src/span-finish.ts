import {
  captureJson,
  type LlmFacts,
  outputMessages,
  parseLlmResponse,
  type RunState,
  recordLlmFacts,
  type StepState,
} from "@flightrec/sdk/bridge";
import * as C from "@flightrec/sdk/conventions";
import type { GenerationSpanData, ResponseSpanData, SpanData } from "@openai/agents";
import type { Span } from "@opentelemetry/api";
import { inputMessages } from "./conversation.js";
import { ATTR_GUARDRAIL_TRIGGERED, ATTR_HANDOFF_FROM, ATTR_HANDOFF_TO } from "./span-plan.js";

export interface FinishContext {
  run: RunState;
  step?: StepState;
  /** False: messages, tool arguments and results are left out; names, models and usage stay. */
  content: boolean;
}

/** What finishing a span learned that the run needs: the conversation's first input, the last answer. */
export interface Finished {
  input?: string;
  outputText?: string;
  /** The model replied with text (known even when the text itself is not captured). */
  replied?: boolean;
  /** A tool call's arguments as captured: the input of its failure, if it failed. */
  arguments?: string;
}

/**
 * Writes what an Agents SDK span knows once it ended (the model's reply and usage, a tool's
 * arguments and result, a handoff's target) onto its OTel span, in the SDK's attribute shape.
 */
export function finishAttributes(span: Span, data: SpanData, context: FinishContext): Finished {
  switch (data.type) {
    case "response":
      return finishLlm(span, responseCall(data), context);
    case "generation":
      return finishLlm(span, generationCall(data), context);
    case "function": {
      if (!context.content) return {};
      const args = captureJsonText(data.input);
      span.setAttribute(C.GEN_AI_TOOL_CALL_ARGUMENTS, args);
      if (data.output !== "" && data.output !== undefined) {
        span.setAttribute(C.GEN_AI_TOOL_CALL_RESULT, captureJsonText(data.output));
      }
      return { arguments: args };
    }
    case "handoff":
      span.updateName(`handoff ${data.from_agent ?? "?"} → ${data.to_agent ?? "?"}`);
      if (data.from_agent) span.setAttribute(ATTR_HANDOFF_FROM, data.from_agent);
      if (data.to_agent) span.setAttribute(ATTR_HANDOFF_TO, data.to_agent);
      return {};
    case "guardrail":
      span.setAttribute(ATTR_GUARDRAIL_TRIGGERED, data.triggered);
      return {};
    case "custom":
      if (context.content) span.setAttribute("openai_agents.custom.data", captureJson(data.data));
      return {};
    default:
      return {};
  }
}

interface LlmCall {
  model: string | undefined;
  facts: LlmFacts;
  input: unknown[] | undefined;
}

function responseCall(data: ResponseSpanData): LlmCall {
  const response = data._response;
  const facts = parseLlmResponse(response);
  const instructions = typeof response?.instructions === "string" ? response.instructions : undefined;
  const input = inputMessages(data._input);
  return {
    model: facts.responseModel ?? (typeof response?.model === "string" ? response.model : undefined),
    facts,
    input: instructions
      ? [{ role: "system", parts: [{ type: "text", content: instructions }] }, ...(input ?? [])]
      : input,
  };
}

/** Chat Completions: the raw completion is the span's output, the messages sent its input. */
function generationCall(data: GenerationSpanData): LlmCall {
  const parsed = parseLlmResponse(data.output?.[0]);
  const facts: LlmFacts =
    parsed.inputTokens === undefined && data.usage
      ? { ...parsed, inputTokens: data.usage.input_tokens, outputTokens: data.usage.output_tokens }
      : parsed;
  return { model: facts.responseModel ?? data.model, facts, input: data.input };
}

function finishLlm(span: Span, call: LlmCall, context: FinishContext): Finished {
  const replied = call.facts.outputText !== undefined && call.facts.outputText !== "";
  recordLlmFacts(
    span,
    call.facts,
    { provider: "openai", ...(call.model ? { model: call.model } : {}) },
    context,
  );
  if (call.model) {
    span.updateName(`${C.GEN_AI_OPERATION.chat} ${call.model}`);
    span.setAttribute(C.GEN_AI_REQUEST_MODEL, call.model);
  }
  if (!context.content) return { replied };
  const input = call.input === undefined ? undefined : captureJson(call.input);
  if (input !== undefined) span.setAttribute(C.GEN_AI_INPUT_MESSAGES, input);
  const output = outputMessages(call.facts);
  if (output) span.setAttribute(C.GEN_AI_OUTPUT_MESSAGES, captureJson(output));
  return {
    replied,
    ...(input === undefined ? {} : { input }),
    ...(call.facts.outputText === undefined ? {} : { outputText: call.facts.outputText }),
  };
}

/** Tool arguments and results arrive as text, usually JSON: kept as that JSON, else as a string. */
function captureJsonText(text: string | undefined): string {
  if (text === undefined || text === "") return captureJson(null);
  try {
    return captureJson(JSON.parse(text));
  } catch {
    return captureJson(text);
  }
}
