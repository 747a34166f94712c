/**
 * A Vercel AI SDK 7 agent: the OpenTelemetry NodeSDK with Flightrec's span processor,
 * `generateText` with `@ai-sdk/otel`'s integration, a mock model that calls `weather`, then
 * `book_flight`, then answers. `book_flight` prints "booking started" and waits until the process
 * is killed. Run as a child process by the crash tests: `tsx vercel7-agent.ts`; FLIGHTREC_ENDPOINT
 * is the collector.
 */
import { OpenTelemetry } from "@ai-sdk/otel";
import { flightrecSpanProcessor } from "@flightrec/sdk";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { generateText, stepCountIs, tool } from "ai-v7";
import { MockLanguageModelV4 } from "ai-v7/test";
import { z } from "zod";

const sdk = new NodeSDK({
  serviceName: "vercel7-crash-agent",
  spanProcessors: [flightrecSpanProcessor({ heartbeatIntervalMs: Number(process.env.HEARTBEAT_MS ?? 5000) })],
});
sdk.start();

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const calls = ["weather", "book_flight"];
const model = new MockLanguageModelV4({
  provider: "openai.chat",
  modelId: "gpt-4o-mini",
  doGenerate: async () => {
    const toolName = calls.shift();
    return toolName
      ? {
          content: [
            { type: "tool-call" as const, toolCallId: toolName, toolName, input: '{"city":"Paris"}' },
          ],
          finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
          usage,
          warnings: [],
        }
      : {
          content: [{ type: "text" as const, text: "Booked" }],
          finishReason: { unified: "stop" as const, raw: "stop" },
          usage,
          warnings: [],
        };
  },
});
const city = z.object({ city: z.string() });
await generateText({
  model,
  prompt: "Book a flight to wherever is sunny",
  tools: {
    weather: tool({ inputSchema: city, execute: async ({ city }) => ({ city, sky: "sunny" }) }),
    book_flight: tool({
      inputSchema: city,
      execute: async () => {
        process.stdout.write("booking started\n");
        await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
        return { booked: true };
      },
    }),
  },
  stopWhen: stepCountIs(4),
  telemetry: { isEnabled: true, functionId: "trip", integrations: [new OpenTelemetry()] },
});
