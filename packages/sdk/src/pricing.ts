/**
 * Prices an LLM call from its token usage. Prices come from `@pydantic/genai-prices`, a
 * maintained table bundled with the package (no network at runtime), loaded at the first
 * lookup (price-table.ts); user overrides win.
 *
 * Token counts follow the OpenTelemetry GenAI semantics: `inputTokens` INCLUDES cached
 * tokens (read and written) and `outputTokens` INCLUDES reasoning tokens. Each token is
 * priced once, at the most specific price known for it.
 */
import { priceTable } from "./price-table.js";

export interface TokenUsage {
  /** GenAI provider name, e.g. `openai`, `anthropic`; narrows the model lookup. */
  provider?: string;
  model: string;
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** All output tokens, reasoning ones included. */
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (part of inputTokens). */
  cacheReadInputTokens?: number;
  /** Input tokens written to the provider's prompt cache (part of inputTokens). */
  cacheWriteInputTokens?: number;
  /** Output tokens spent on reasoning (part of outputTokens). */
  reasoningOutputTokens?: number;
}

/** USD per million tokens. Cached and reasoning prices default to the plain input/output price. */
export interface ModelPriceOverride {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
  reasoningPerMTok?: number;
}

/** Keyed by `provider/model` or by `model`; the first is tried first. */
export type PriceOverrides = Readonly<Record<string, ModelPriceOverride>>;

export type PriceResult = { costUsd: number } | { costUsd: null; reason: string };

const PER_MTOK = 1_000_000;

export function priceUsage(usage: TokenUsage, overrides: PriceOverrides = {}): PriceResult {
  const invalid = validate(usage);
  if (invalid) return { costUsd: null, reason: invalid };

  const override =
    (usage.provider ? overrides[`${usage.provider}/${usage.model}`] : undefined) ?? overrides[usage.model];
  if (override) return { costUsd: priceWith(override, usage) };

  const tableUsage = {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadInputTokens,
    cache_write_tokens: usage.cacheWriteInputTokens,
    output_reasoning_tokens: usage.reasoningOutputTokens,
  };
  try {
    const calcPrice = priceTable();
    const providerId = usage.provider ? tableProviderId(usage.provider) : undefined;
    // A provider name the table does not know should not hide a model it does know.
    const found =
      (providerId ? calcPrice(tableUsage, usage.model, { providerId }) : null) ??
      calcPrice(tableUsage, usage.model);
    if (!found) return { costUsd: null, reason: `unknown model "${usage.model}"` };
    return { costUsd: found.total_price };
  } catch (error) {
    return { costUsd: null, reason: `price lookup failed: ${String(error)}` };
  }
}

/**
 * Anthropic reports `input_tokens` WITHOUT cache reads and writes; GenAI semantics (and
 * priceUsage) count them in. Use this to convert an Anthropic `usage` object.
 */
export function anthropicInputTokens(usage: {
  input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}): number {
  return (
    (usage.input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0)
  );
}

function priceWith(price: ModelPriceOverride, usage: TokenUsage): number {
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const reasoning = usage.reasoningOutputTokens ?? 0;
  const uncachedInput = usage.inputTokens - cacheRead - cacheWrite;
  const plainOutput = usage.outputTokens - reasoning;
  return (
    (uncachedInput * price.inputPerMTok +
      cacheRead * (price.cacheReadPerMTok ?? price.inputPerMTok) +
      cacheWrite * (price.cacheWritePerMTok ?? price.inputPerMTok) +
      plainOutput * price.outputPerMTok +
      reasoning * (price.reasoningPerMTok ?? price.outputPerMTok)) /
    PER_MTOK
  );
}

function validate(usage: TokenUsage): string | undefined {
  if (typeof usage.model !== "string" || usage.model === "") return "no model name";
  const counts = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: usage.cacheWriteInputTokens ?? 0,
    reasoningOutputTokens: usage.reasoningOutputTokens ?? 0,
  };
  for (const [name, value] of Object.entries(counts)) {
    if (!Number.isFinite(value) || value < 0) return `${name} is not a non-negative number`;
  }
  if (counts.cacheReadInputTokens + counts.cacheWriteInputTokens > counts.inputTokens) {
    return "cached input tokens exceed inputTokens (inputTokens must include cached tokens)";
  }
  if (counts.reasoningOutputTokens > counts.outputTokens) {
    return "reasoningOutputTokens exceed outputTokens (outputTokens must include reasoning tokens)";
  }
  return undefined;
}

/** GenAI `gen_ai.provider.name` values whose id differs in the price table. */
const PROVIDER_IDS: Readonly<Record<string, string>> = {
  "gcp.gemini": "google",
  "gcp.vertex_ai": "google",
  "gcp.gen_ai": "google",
  "aws.bedrock": "aws",
  "azure.ai.openai": "azure",
  x_ai: "x-ai",
  mistral_ai: "mistral",
};

function tableProviderId(provider: string): string {
  return PROVIDER_IDS[provider] ?? provider;
}
