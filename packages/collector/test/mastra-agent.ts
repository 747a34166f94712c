import { Mastra } from "@mastra/core";
import { Agent } from "@mastra/core/agent";
import { createTool } from "@mastra/core/tools";
import { OtelExporter } from "@mastra/otel-exporter";
import { z } from "zod";

/** What the flights tool throws: a type of its own, so a test sees whether the type reaches the store. */
export class NoFlightsError extends TypeError {
  override name = "NoFlightsError";
}

const weather = createTool({
  id: "weather",
  description: "Current weather in a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ context }) => ({ city: context.city, sky: "sunny" }),
});

const flights = createTool({
  id: "flights",
  description: "Flights to a city today",
  inputSchema: z.object({ to: z.string() }),
  execute: async ({ context }): Promise<{ flights: string[] }> => {
    throw new NoFlightsError(`no flights to ${context.to}`);
  },
});

export interface MastraAgentOptions {
  /** Base URL of an OpenAI-compatible API (`…/v1`). */
  modelUrl: string;
  /** Where the OTLP exporter sends, `/v1/traces` included. */
  tracesUrl: string;
  protocol: "http/json" | "http/protobuf";
}

/**
 * A Mastra trip-planning agent with a tool that works (weather) and one that throws (flights),
 * traced as Mastra's docs say: `observability.configs` with an `OtelExporter` to a custom OTLP
 * endpoint. `mastra.shutdown()` sends what is left.
 */
export function mastraTripPlanner(options: MastraAgentOptions): { mastra: Mastra; agent: Agent } {
  const agent = new Agent({
    name: "trip-planner",
    instructions: "Plan trips with the tools you have.",
    model: { id: "openai/gpt-4o-mini", url: options.modelUrl, apiKey: "sk-test" },
    tools: { weather, flights },
  });
  const mastra = new Mastra({
    agents: { tripPlanner: agent },
    logger: false,
    // The older OpenTelemetry integration (deprecated in this line) stays off: AI tracing exports.
    telemetry: { enabled: false },
    observability: {
      configs: {
        otel: {
          serviceName: "mastra-trip-planner",
          exporters: [
            new OtelExporter({
              provider: { custom: { endpoint: options.tracesUrl, protocol: options.protocol } },
            }),
          ],
        },
      },
    },
  });
  return { mastra, agent: mastra.getAgent("tripPlanner") };
}
