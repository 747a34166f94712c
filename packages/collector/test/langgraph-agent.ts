import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";

export interface SalesAgentOptions {
  /** Base URL of an OpenAI-compatible server. */
  baseURL: string;
  /** Whether the tools node turns a tool's error into a message for the model (LangGraph's default). */
  handleToolErrors: boolean;
}

const salesReport = tool(async ({ quarter }) => ({ quarter, revenue: "-12%" }), {
  name: "sales_report",
  description: "Revenue change of a quarter",
  schema: z.object({ quarter: z.string() }),
});

const forecastRevenue = tool(
  async ({ quarter }): Promise<string> => {
    throw new Error(`no forecast for ${quarter}`);
  },
  {
    name: "forecast_revenue",
    description: "Revenue forecast of a quarter",
    schema: z.object({ quarter: z.string() }),
  },
);

/** A ReAct agent as LangGraph's docs build one: a model node, a tools node, a loop between them. */
export function salesAgent({ baseURL, handleToolErrors }: SalesAgentOptions) {
  const tools = [salesReport, forecastRevenue];
  const model = new ChatOpenAI({
    model: "gpt-4o-mini",
    apiKey: "sk-test",
    configuration: { baseURL },
  }).bindTools(tools);
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", async (state) => ({ messages: [await model.invoke(state.messages)] }))
    .addNode("tools", new ToolNode(tools, { handleToolErrors }))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent")
    .compile();
}

export const QUESTION = new HumanMessage("Why did Q3 revenue drop, and what about Q4?");
