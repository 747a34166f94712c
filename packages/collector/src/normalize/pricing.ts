export interface UsageToPrice {
  provider?: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  reasoningOutputTokens?: number;
}

export type PriceResult = { costUsd: number } | { costUsd: null; reason: string };

/**
 * Prices third-party LLM calls that report tokens but no cost, at ingest.
 *
 * Seam: this must use the SDK's price table (`priceUsage` from `@flightrec/sdk/pricing`) so the
 * SDK and the collector price alike. Until that subpath exists, nothing is priced here.
 */
export function priceUsage(_usage: UsageToPrice): PriceResult {
  return { costUsd: null, reason: "no price table available" };
}
