/**
 * A Vercel AI SDK agent as its docs have it: the OpenTelemetry NodeSDK with Flightrec's span
 * processor, `generateText` with telemetry on, one tool. Run as a child process by the crash
 * tests: `tsx vercel-agent.ts <hang|finish> [request]`; the tool prints "tool started" and, with
 * `hang`, waits until the process is killed; with `request`, the call runs inside a span of the
 * app's own, as in a request handler. MODEL_URL is the fake OpenAI endpoint, FLIGHTREC_ENDPOINT
 * the collector.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { flightrecSpanProcessor } from "@flightrec/sdk";
import { trace } from "@opentelemetry/api";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { generateText, stepCountIs, tool } from "ai";
import { z } from "zod";

const mode = process.argv[2] ?? "finish";
const sdk = new NodeSDK({
  serviceName: "vercel-crash-agent",
  spanProcessors: [flightrecSpanProcessor({ heartbeatIntervalMs: Number(process.env.HEARTBEAT_MS ?? 5000) })],
});
sdk.start();

const openai = createOpenAI({ baseURL: process.env.MODEL_URL, apiKey: "sk-test" });
const forecast = () =>
  generateText({
    model: openai.chat("gpt-4o-mini"),
    prompt: "What is the weather in Paris?",
    tools: {
      weather: tool({
        description: "Current weather",
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          process.stdout.write("tool started\n");
          if (mode === "hang") await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
          return { city, sky: "sunny" };
        },
      }),
    },
    stopWhen: stepCountIs(3),
    experimental_telemetry: { isEnabled: true, functionId: "forecast" },
  });
const result =
  process.argv[3] === "request"
    ? await trace.getTracer("app").startActiveSpan("POST /forecast", async (span) => {
        try {
          return await forecast();
        } finally {
          span.end();
        }
      })
    : await forecast();
process.stdout.write(`answer: ${result.text}\n`);
// No sdk.shutdown(): a script that just ends must not lose its last spans.
