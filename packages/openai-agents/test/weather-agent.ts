import {
  Agent,
  type InputGuardrail,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  tool,
} from "@openai/agents";
import type OpenAI from "openai";
import { z } from "zod";
import { flightrecErrorFunction } from "../src/index.js";
import { FAKE_MODEL } from "./fake-responses-server.js";

/** Thrown by the forecast tool: a type of its own, so the test can tell it from a rebuilt error. */
export class ForecastUnavailableError extends Error {
  override readonly name = "ForecastUnavailableError";
}

/** An input guardrail that never trips: its span is recorded, the run goes on. */
const politeInput: InputGuardrail = {
  name: "polite_input",
  execute: async () => ({ tripwireTriggered: false, outputInfo: { polite: true } }),
};

/**
 * A triage agent that hands off to a weather agent with two tools: `get_weather` works,
 * `get_forecast` throws. `recover` decides what the Agents SDK does with that error: tell the
 * model (it may answer anyway) or fail the run. Both agents call `client` through the Responses API,
 * or Chat Completions when `api` says so.
 */
export function triageAgent(
  recover: boolean,
  client: OpenAI,
  api: "responses" | "chat_completions" = "responses",
): Agent {
  const model =
    api === "responses"
      ? new OpenAIResponsesModel(client as never, FAKE_MODEL)
      : new OpenAIChatCompletionsModel(client as never, FAKE_MODEL);
  const weather = new Agent({
    name: "Weather agent",
    instructions: "Answer questions about the weather.",
    model,
    tools: [
      tool({
        name: "get_weather",
        description: "Current weather of a city",
        parameters: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, sky: "sunny", celsius: 21 }),
      }),
      tool({
        name: "get_forecast",
        description: "Forecast of a city for the next days",
        parameters: z.object({ city: z.string(), days: z.number() }),
        execute: async ({ city }) => {
          throw new ForecastUnavailableError(`no forecast for ${city}`);
        },
        errorFunction: flightrecErrorFunction(recover ? undefined : null),
      }),
    ],
  });
  return new Agent({
    name: "Triage agent",
    instructions: "Hand weather questions to the weather agent.",
    model,
    handoffs: [weather],
    inputGuardrails: [politeInput],
  });
}
