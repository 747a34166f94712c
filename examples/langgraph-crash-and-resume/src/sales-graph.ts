import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";
import type { SideEffectLog } from "./side-effects.js";

interface Row {
  region: string;
  revenue: number;
}

const SalesState = Annotation.Root({
  quarter: Annotation<string>,
  recipient: Annotation<string>,
  rows: Annotation<Row[]>,
  clean: Annotation<Row[]>,
  analysis: Annotation<string>,
  anomalies: Annotation<string[]>,
  emailId: Annotation<string>,
  report: Annotation<string>,
});

export type SalesInput = { quarter: string; recipient: string };
export type SalesState = typeof SalesState.State;

export interface GraphOptions {
  checkpointer: BaseCheckpointSaver;
  effects: SideEffectLog;
  /** Base URL of the OpenAI-compatible model server. */
  modelUrl: string;
  /** The node to stop in, waiting until the process is killed (the demonstration's crash). */
  hangIn?: string;
  /** Called once the graph is inside `hangIn`. */
  onHang?: () => void;
}

const SALES: Row[] = [
  { region: "north", revenue: 120_000 },
  { region: "south", revenue: 98_000 },
  { region: "east", revenue: 12_000 },
  { region: "west", revenue: 131_000 },
];

/**
 * The seed's `analyze_sales_data` as a LangGraph.js graph, one node per step:
 * fetch_data → clean_data → analyze (a model call) → find_anomalies → send_email → write_report.
 * Each node writes its effect to the log when it does its work.
 */
export function salesGraph(options: GraphOptions) {
  const { effects } = options;
  const model = new ChatOpenAI({
    model: "gpt-4o-mini",
    apiKey: "sk-example",
    configuration: { baseURL: options.modelUrl },
  });
  const node =
    <T>(name: string, work: (state: SalesState) => Promise<T> | T) =>
    async (state: SalesState) => {
      if (options.hangIn === name) {
        options.onHang?.();
        await new Promise(() => {}); // until the process is killed
      }
      const update = await work(state);
      effects.write(`${name} executed`);
      return update;
    };
  return new StateGraph(SalesState)
    .addNode(
      "fetch_data",
      node("fetch_data", () => ({ rows: SALES })),
    )
    .addNode(
      "clean_data",
      node("clean_data", (s) => ({ clean: s.rows.filter((r) => r.revenue > 0) })),
    )
    .addNode(
      "analyze",
      node("analyze", async (s) => {
        const reply = await model.invoke(
          `Analyze ${s.quarter} revenue by region: ${JSON.stringify(s.clean)}`,
        );
        return { analysis: String(reply.content) };
      }),
    )
    .addNode(
      "find_anomalies",
      node("find_anomalies", (s) => {
        const mean = s.clean.reduce((sum, r) => sum + r.revenue, 0) / s.clean.length;
        return { anomalies: s.clean.filter((r) => r.revenue < mean / 2).map((r) => r.region) };
      }),
    )
    .addNode(
      "send_email",
      node("send_email", (s) => ({ emailId: `email-${s.quarter}-${s.recipient}` })),
    )
    .addNode(
      "write_report",
      node("write_report", (s) => ({
        report: `${s.quarter}: ${s.analysis} Anomalies: ${s.anomalies.join(", ")}. Sent as ${s.emailId}.`,
      })),
    )
    .addEdge(START, "fetch_data")
    .addEdge("fetch_data", "clean_data")
    .addEdge("clean_data", "analyze")
    .addEdge("analyze", "find_anomalies")
    .addEdge("find_anomalies", "send_email")
    .addEdge("send_email", "write_report")
    .addEdge("write_report", END)
    .compile({ checkpointer: options.checkpointer });
}
