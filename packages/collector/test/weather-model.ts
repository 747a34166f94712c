const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

/**
 * Settings of a mock language model (the AI SDK's MockLanguageModelV3 in ai 6, V4 in ai 7 take
 * the same) that first calls the weather tool for Paris, then answers.
 */
export function weatherModelSettings() {
  let calls = 0;
  return {
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    doGenerate: async () => {
      calls++;
      if (calls === 1) {
        return {
          content: [
            { type: "tool-call" as const, toolCallId: "c1", toolName: "weather", input: '{"city":"Paris"}' },
          ],
          finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
          usage: usage(10, 5),
          warnings: [],
        };
      }
      return {
        content: [{ type: "text" as const, text: "Sunny in Paris" }],
        finishReason: { unified: "stop" as const, raw: "stop" },
        usage: usage(20, 3),
        warnings: [],
      };
    },
  };
}
