import { context, SpanKind, trace } from "@opentelemetry/api";
import { preciseNow } from "./clock.js";
import {
  ATTR_LLM_REASONING,
  ATTR_LLM_TIME_TO_FIRST_TOKEN_MS,
  ATTR_SPAN_KIND,
  GEN_AI_INPUT_MESSAGES,
  GEN_AI_OPERATION,
  GEN_AI_OPERATION_NAME,
  GEN_AI_OUTPUT_MESSAGES,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MODEL,
} from "./conventions.js";
import { recordFailureInput } from "./failure.js";
import { type LlmFacts, LlmStreamAccumulator, parseLlmResponse } from "./llm-parsers.js";
import { preloadPriceTable } from "./price-table.js";
import { captureJson, captureText } from "./redact.js";
import { runFrom, stepFrom } from "./run-context.js";
import { runAttributes } from "./span-attributes.js";
import { getTracer } from "./tracer.js";
import { recordLlmFacts } from "./usage.js";
import { runInSpan } from "./with-span.js";

export interface LlmOptions<T = unknown> {
  /** GenAI provider name: `openai`, `anthropic`, `gcp.gemini`, … */
  provider?: string;
  /** The requested model; priced from the response's model when it reports one. */
  model: string;
  /** What was sent, typically the messages; recorded redacted as `gen_ai.input.messages`. */
  input?: unknown;
  /** GenAI operation name; `chat` unless given. */
  operation?: string;
  /**
   * Reads tokens and output from the result when it is not an OpenAI or Anthropic
   * response (those are recognised by shape, streamed or not).
   */
  extract?: (result: T) => LlmFacts;
}

/**
 * One call to a model. Records model, tokens (cached and reasoning included), cost, the
 * messages in and out and, for streams, the time to the first chunk. Works for sync
 * results, promises and async-iterable streams (the span ends after the last chunk).
 */
export function llm<T>(options: LlmOptions<Awaited<T>>, fn: () => T): T {
  const parent = context.active();
  const run = runFrom(parent);
  const step = stepFrom(parent);
  const operation = options.operation ?? GEN_AI_OPERATION.chat;
  const capturedInput = options.input === undefined ? undefined : captureJson(options.input);
  const startedAt = preciseNow();
  // The call will be priced when it ends: have the price table loading meanwhile.
  preloadPriceTable();
  const span = getTracer().startSpan(
    `${operation} ${options.model}`,
    {
      kind: SpanKind.CLIENT,
      startTime: startedAt,
      attributes: {
        [ATTR_SPAN_KIND]: "llm",
        [GEN_AI_OPERATION_NAME]: operation,
        [GEN_AI_REQUEST_MODEL]: options.model,
        ...(options.provider ? { [GEN_AI_PROVIDER_NAME]: options.provider } : {}),
        ...(capturedInput === undefined ? {} : { [GEN_AI_INPUT_MESSAGES]: capturedInput }),
        ...runAttributes(run, step),
      },
    },
    parent,
  );
  let stream: LlmStreamAccumulator | undefined;
  const call = { model: options.model, ...(options.provider ? { provider: options.provider } : {}) };
  return runInSpan(span, trace.setSpan(parent, span), fn, {
    onChunk: (s, chunk, index) => {
      if (index === 0) s.setAttribute(ATTR_LLM_TIME_TO_FIRST_TOKEN_MS, preciseNow() - startedAt);
      stream ??= new LlmStreamAccumulator();
      stream.add(chunk);
    },
    onSuccess: (s, value) => {
      const facts = options.extract
        ? options.extract(value as Awaited<T>)
        : (stream?.result() ?? parseLlmResponse(value));
      recordLlmFacts(s, facts, call, { ...(run ? { run } : {}), ...(step ? { step } : {}) });
      const output = outputMessages(facts);
      if (output) s.setAttribute(GEN_AI_OUTPUT_MESSAGES, captureJson(output));
      if (facts.reasoningText) s.setAttribute(ATTR_LLM_REASONING, captureText(facts.reasoningText));
    },
    onError: (s) => recordFailureInput(s, capturedInput, run),
  });
}

/** The call's output in the GenAI `gen_ai.output.messages` shape. */
export function outputMessages(facts: LlmFacts): unknown[] | undefined {
  if (facts.outputText === undefined && !facts.toolCalls?.length) return undefined;
  const parts: unknown[] = [];
  if (facts.reasoningText) parts.push({ type: "reasoning", content: facts.reasoningText });
  if (facts.outputText !== undefined) parts.push({ type: "text", content: facts.outputText });
  for (const call of facts.toolCalls ?? []) {
    parts.push({ type: "tool_call", name: call.name, arguments: call.arguments });
  }
  return [{ role: "assistant", parts, finish_reason: facts.finishReasons?.[0] ?? null }];
}
