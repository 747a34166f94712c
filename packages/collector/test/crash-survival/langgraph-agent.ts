/**
 * A LangGraph.js agent traced as OpenInference's LangChain instrumentation documents it: a
 * registered NodeTracerProvider, here with Flightrec's span processor, and the callbacks manager
 * instrumented by hand (an ESM app). A model node and a tools node in a loop; the weather tool
 * prints "tool started" and, with `hang`, waits until the process is killed. Run as a child
 * process by the crash tests: `tsx langgraph-agent.ts <hang|finish>`; MODEL_URL is the fake
 * OpenAI endpoint, FLIGHTREC_ENDPOINT the collector.
 */
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { flightrecSpanProcessor } from "@flightrec/sdk";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { ChatOpenAI } from "@langchain/openai";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { z } from "zod";

const mode = process.argv[2] ?? "finish";
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ "service.name": "langgraph-crash-agent" }),
  spanProcessors: [flightrecSpanProcessor({ heartbeatIntervalMs: Number(process.env.HEARTBEAT_MS ?? 5000) })],
});
provider.register();
new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule);

const weather = tool(
  async ({ city }) => {
    process.stdout.write("tool started\n");
    if (mode === "hang") await new Promise((resolve) => setTimeout(resolve, 10 * 60_000));
    return JSON.stringify({ city, sky: "sunny" });
  },
  { name: "weather", description: "Current weather", schema: z.object({ city: z.string() }) },
);
const model = new ChatOpenAI({
  model: "gpt-4o-mini",
  apiKey: "sk-test",
  configuration: { baseURL: process.env.MODEL_URL },
}).bindTools([weather]);
const graph = new StateGraph(MessagesAnnotation)
  .addNode("agent", async (state) => ({ messages: [await model.invoke(state.messages)] }))
  .addNode("tools", new ToolNode([weather]))
  .addEdge(START, "agent")
  .addConditionalEdges("agent", toolsCondition, ["tools", END])
  .addEdge("tools", "agent")
  .compile();

const result = await graph.invoke(
  { messages: [new HumanMessage("What is the weather in Paris?")] },
  { runName: "forecast_graph" },
);
process.stdout.write(`answer: ${String(result.messages.at(-1)?.content)}\n`);
