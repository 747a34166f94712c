import { describe, expect, it } from "vitest";
import { anthropicInputTokens, priceUsage } from "./pricing.js";

const cost = (result: ReturnType<typeof priceUsage>) => {
  if (result.costUsd === null) throw new Error(result.reason);
  return result.costUsd;
};

describe("priceUsage", () => {
  it("prices a known model from the bundled table", () => {
    // gpt-4o: $2.50 in, $10 out per million tokens.
    expect(
      cost(
        priceUsage({ provider: "openai", model: "gpt-4o", inputTokens: 1_000_000, outputTokens: 1_000_000 }),
      ),
    ).toBeCloseTo(12.5, 6);
  });

  it("counts cached input tokens once, at the cached price", () => {
    const plain = cost(priceUsage({ model: "gpt-4o", inputTokens: 1_000_000, outputTokens: 0 }));
    const halfCached = cost(
      priceUsage({ model: "gpt-4o", inputTokens: 1_000_000, outputTokens: 0, cacheReadInputTokens: 500_000 }),
    );
    // 500k uncached at $2.50 + 500k cached at $1.25, not 1M + 500k.
    expect(plain).toBeCloseTo(2.5, 6);
    expect(halfCached).toBeCloseTo(1.875, 6);
  });

  it("treats reasoning tokens as part of output tokens", () => {
    const withReasoning = cost(
      priceUsage({ model: "o3", inputTokens: 0, outputTokens: 1_000_000, reasoningOutputTokens: 600_000 }),
    );
    const without = cost(priceUsage({ model: "o3", inputTokens: 0, outputTokens: 1_000_000 }));
    expect(withReasoning).toBeCloseTo(without, 9);
    expect(withReasoning).toBeGreaterThan(0);
  });

  it("normalizes Anthropic usage so cache reads and writes are priced once", () => {
    const usage = { input_tokens: 1_000, cache_read_input_tokens: 8_000, cache_creation_input_tokens: 1_000 };
    const inputTokens = anthropicInputTokens(usage);
    expect(inputTokens).toBe(10_000);
    const result = cost(
      priceUsage({
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        inputTokens,
        outputTokens: 0,
        cacheReadInputTokens: 8_000,
        cacheWriteInputTokens: 1_000,
      }),
    );
    // 1k at $3 + 8k at $0.30 + 1k at $3.75 per million.
    expect(result).toBeCloseTo((1_000 * 3 + 8_000 * 0.3 + 1_000 * 3.75) / 1e6, 9);
  });

  it("lets user overrides win, with cached and reasoning prices", () => {
    const overrides = {
      "openai/gpt-4o": { inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5, reasoningPerMTok: 4 },
      "in-house-llm": { inputPerMTok: 10, outputPerMTok: 20 },
    };
    expect(
      cost(
        priceUsage(
          {
            provider: "openai",
            model: "gpt-4o",
            inputTokens: 1_000_000,
            outputTokens: 1_000_000,
            cacheReadInputTokens: 400_000,
            reasoningOutputTokens: 250_000,
          },
          overrides,
        ),
      ),
    ).toBeCloseTo(0.6 + 0.2 + 0.75 * 2 + 0.25 * 4, 9);
    expect(
      cost(priceUsage({ model: "in-house-llm", inputTokens: 100_000, outputTokens: 50_000 }, overrides)),
    ).toBeCloseTo(2, 9);
  });

  it("falls back to a model-only lookup when the provider name is not in the table", () => {
    expect(
      cost(priceUsage({ provider: "my-gateway", model: "gpt-4o-mini", inputTokens: 1e6, outputTokens: 0 })),
    ).toBeCloseTo(0.15, 6);
  });

  it("returns no cost and a reason for an unknown model, never a guess", () => {
    expect(priceUsage({ model: "no-such-model-xyz", inputTokens: 10, outputTokens: 10 })).toEqual({
      costUsd: null,
      reason: 'unknown model "no-such-model-xyz"',
    });
  });

  it("rejects usage that would count cached tokens twice or is not a count", () => {
    const cached = priceUsage({
      model: "gpt-4o",
      inputTokens: 10,
      outputTokens: 0,
      cacheReadInputTokens: 20,
    });
    expect(cached).toMatchObject({ costUsd: null, reason: expect.stringContaining("exceed inputTokens") });
    const negative = priceUsage({ model: "gpt-4o", inputTokens: -1, outputTokens: 0 });
    expect(negative).toMatchObject({ costUsd: null, reason: expect.stringContaining("inputTokens") });
  });
});
