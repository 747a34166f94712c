/**
 * An Agents SDK agent recorded by flightrecTracingProcessor, run as a child process by the crash
 * test: `tsx crash-agent.ts`. Its tool prints "tool started" and waits until the process is killed.
 * MODEL_URL is the fake model's base URL, FLIGHTREC_ENDPOINT the collector.
 */
import {
  Agent,
  OpenAIResponsesModel,
  Runner,
  setTraceProcessors,
  setTracingDisabled,
  tool,
} from "@openai/agents";
import OpenAI from "openai";
import { z } from "zod";
import { flightrecTracingProcessor } from "../src/index.js";
import { FAKE_MODEL } from "./fake-responses-server.js";

// The Agents SDK turns tracing off when NODE_ENV is "test", which this process inherits from Vitest.
setTracingDisabled(false);
setTraceProcessors([
  flightrecTracingProcessor({
    serviceName: "agents-crash",
    heartbeatIntervalMs: Number(process.env.HEARTBEAT_MS),
  }),
]);

const client = new OpenAI({ baseURL: process.env.MODEL_URL, apiKey: "test-key" });
const agent = new Agent({
  name: "Weather agent",
  instructions: "Answer questions about the weather.",
  model: new OpenAIResponsesModel(client as never, FAKE_MODEL),
  tools: [
    tool({
      name: "get_weather",
      description: "Current weather of a city",
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        process.stdout.write("tool started\n");
        await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
        return { city, sky: "sunny" };
      },
    }),
  ],
});
await new Runner({ workflowName: "killed_workflow" }).run(agent, "Weather in Paris?");
