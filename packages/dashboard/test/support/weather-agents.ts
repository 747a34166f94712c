import { createOpenAI } from "@ai-sdk/openai";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { HumanMessage } from "@langchain/core/messages";
import { tool as langchainTool } from "@langchain/core/tools";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { ChatOpenAI } from "@langchain/openai";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { tool as aiTool, generateText, stepCountIs } from "ai";
import { z } from "zod";
import type { ModelTurn } from "./chat-model-server";

/** The model's script for both agents: the weather tool works, the forecast tool throws, then an answer. */
export const WEATHER_SCRIPT: readonly ModelTurn[] = [
  { call: "weather", args: { city: "Paris" } },
  { call: "forecast", args: { city: "Paris" } },
  { text: "Sunny in Paris today; no forecast for tomorrow." },
];
export const QUESTION = "What is the weather in Paris today and tomorrow?";

const cityInput = z.object({ city: z.string() });
interface Sky {
  city: string;
  sky: string;
}
const weather = async ({ city }: { city: string }): Promise<Sky> => ({ city, sky: "sunny" });
const forecast = async ({ city }: { city: string }): Promise<Sky> => {
  throw new Error(`no forecast for ${city}`);
};

const exporter = (collectorUrl: string) => new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` });

/**
 * A LangGraph ReAct agent as its docs build one (model node, ToolNode, a loop between them),
 * traced as OpenInference's LangChain README says: a registered Node tracer provider and the
 * callbacks module instrumented by hand (ESM imports pass no require hook).
 */
export async function runLangGraphAgent(collectorUrl: string, baseURL: string): Promise<void> {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": "langgraph-weather" }),
    spanProcessors: [new SimpleSpanProcessor(exporter(collectorUrl))],
  });
  provider.register();
  const instrumentation = new LangChainInstrumentation();
  instrumentation.manuallyInstrument(CallbackManagerModule);
  try {
    const tools = [
      langchainTool(weather, { name: "weather", description: "Weather today", schema: cityInput }),
      langchainTool(forecast, { name: "forecast", description: "Weather tomorrow", schema: cityInput }),
    ];
    const model = new ChatOpenAI({
      model: "gpt-4o-mini",
      apiKey: "sk-test",
      configuration: { baseURL },
    }).bindTools(tools);
    const graph = new StateGraph(MessagesAnnotation)
      .addNode("agent", async (state) => ({ messages: [await model.invoke(state.messages)] }))
      .addNode("tools", new ToolNode(tools))
      .addEdge(START, "agent")
      .addConditionalEdges("agent", toolsCondition, ["tools", END])
      .addEdge("tools", "agent")
      .compile();
    await graph.invoke({ messages: [new HumanMessage(QUESTION)] }, { runName: "weather_graph" });
  } finally {
    await provider.forceFlush();
    instrumentation.disable();
    await provider.shutdown();
  }
}

/** A Vercel AI SDK (ai 6) tool loop with telemetry on, as its docs turn it on. */
export async function runVercelAgent(collectorUrl: string, baseURL: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "vercel-weather" }),
    spanProcessors: [new SimpleSpanProcessor(exporter(collectorUrl))],
  });
  try {
    const openai = createOpenAI({ baseURL, apiKey: "sk-test" });
    await generateText({
      model: openai.chat("gpt-4o-mini"),
      prompt: QUESTION,
      tools: {
        weather: aiTool({ description: "Weather today", inputSchema: cityInput, execute: weather }),
        forecast: aiTool({ description: "Weather tomorrow", inputSchema: cityInput, execute: forecast }),
      },
      stopWhen: stepCountIs(5),
      experimental_telemetry: {
        isEnabled: true,
        tracer: provider.getTracer("ai"),
        functionId: "weather_agent",
      },
    });
  } finally {
    await provider.forceFlush();
    await provider.shutdown();
  }
}
