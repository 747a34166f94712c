import { parseArgs } from "node:util";
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import { FlightrecSaver, invokeAsRun } from "@flightrec/langgraph";
import { flightrecSpanProcessor } from "@flightrec/sdk";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { startFakeOpenAi } from "./fake-openai.js";
import { salesGraph } from "./sales-graph.js";
import { SideEffectLog } from "./side-effects.js";

const USAGE = `Usage: node dist/main.js [--thread task-123] [--resume] [--hang-in send_email] [--effects ./effects.log]
                         [--heartbeat-ms 5000]
Sends to FLIGHTREC_ENDPOINT (default http://127.0.0.1:4318). Prints the final state as "FINAL <json>".`;

const { values } = parseArgs({
  options: {
    thread: { type: "string", default: "task-123" },
    resume: { type: "boolean", default: false },
    "hang-in": { type: "string" },
    effects: { type: "string" },
    "heartbeat-ms": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

// Tracing as OpenInference documents it for LangGraph.js, with Flightrec's span processor for crash survival.
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ "service.name": "data-analyzer" }),
  spanProcessors: [
    flightrecSpanProcessor(
      values["heartbeat-ms"] ? { heartbeatIntervalMs: Number(values["heartbeat-ms"]) } : {},
    ),
  ],
});
provider.register();
new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule);

const model = await startFakeOpenAi();
const graph = salesGraph({
  checkpointer: new FlightrecSaver(),
  effects: new SideEffectLog(values.effects),
  modelUrl: model.url,
  hangIn: values["hang-in"],
  onHang: () => console.log(`IN ${values["hang-in"]}`),
});
const config = { configurable: { thread_id: values.thread } };
try {
  // A new thread starts from the task; a resumed one continues from its last finished node.
  const input = values.resume ? null : { quarter: "Q3", recipient: "finance-team@example.com" };
  const final = await invokeAsRun(graph, input, config, { name: "analyze_sales_data" });
  console.log(`FINAL ${JSON.stringify(final)}`);
} finally {
  await model.close();
  await provider.shutdown();
}
