import type { Span } from "@opentelemetry/api";
import {
  ATTR_COST_UNKNOWN_MODEL,
  ATTR_COST_UNPRICED_REASON,
  ATTR_COST_USD,
  GEN_AI_RESPONSE_FINISH_REASONS,
  GEN_AI_RESPONSE_ID,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
} from "./conventions.js";
import type { LlmFacts } from "./llm-parsers.js";
import { priceUsage } from "./pricing.js";
import type { RunState, StepState, UsageTotals } from "./run-context.js";
import { settings } from "./settings.js";

/**
 * Puts an LLM call's model, tokens and cost on its span and adds them to the enclosing
 * step and run, so decisions can say what was spent up to them.
 */
export function recordLlmFacts(
  span: Span,
  facts: LlmFacts,
  call: { provider?: string; model?: string },
  parents: { run?: RunState; step?: StepState },
): void {
  if (facts.responseModel) span.setAttribute(GEN_AI_RESPONSE_MODEL, facts.responseModel);
  if (facts.responseId) span.setAttribute(GEN_AI_RESPONSE_ID, facts.responseId);
  if (facts.finishReasons?.length) span.setAttribute(GEN_AI_RESPONSE_FINISH_REASONS, facts.finishReasons);
  const { inputTokens, outputTokens } = facts;
  if (inputTokens === undefined && outputTokens === undefined) return;
  setCount(span, GEN_AI_USAGE_INPUT_TOKENS, inputTokens);
  setCount(span, GEN_AI_USAGE_OUTPUT_TOKENS, outputTokens);
  setCount(span, GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, facts.cacheReadInputTokens);
  setCount(span, GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS, facts.cacheWriteInputTokens);
  setCount(span, GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, facts.reasoningOutputTokens);

  const model = facts.responseModel ?? call.model;
  const price = model
    ? priceUsage(
        {
          ...(call.provider ? { provider: call.provider } : {}),
          model,
          inputTokens: inputTokens ?? 0,
          outputTokens: outputTokens ?? 0,
          ...(facts.cacheReadInputTokens ? { cacheReadInputTokens: facts.cacheReadInputTokens } : {}),
          ...(facts.cacheWriteInputTokens ? { cacheWriteInputTokens: facts.cacheWriteInputTokens } : {}),
          ...(facts.reasoningOutputTokens ? { reasoningOutputTokens: facts.reasoningOutputTokens } : {}),
        },
        settings.priceOverrides,
      )
    : { costUsd: null, reason: "no model name" };
  if (price.costUsd === null) {
    span.setAttribute(ATTR_COST_UNKNOWN_MODEL, true);
    span.setAttribute(ATTR_COST_UNPRICED_REASON, price.reason);
  } else {
    span.setAttribute(ATTR_COST_USD, price.costUsd);
  }
  const spent = {
    inputTokens: inputTokens ?? 0,
    outputTokens: outputTokens ?? 0,
    costUsd: price.costUsd ?? 0,
  };
  if (parents.step) add(parents.step.usage, spent);
  if (parents.run) add(parents.run.usage, spent);
}

function add(total: UsageTotals, spent: UsageTotals): void {
  total.inputTokens += spent.inputTokens;
  total.outputTokens += spent.outputTokens;
  total.costUsd += spent.costUsd;
}

function setCount(span: Span, key: string, value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) span.setAttribute(key, value);
}
