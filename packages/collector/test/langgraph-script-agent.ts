/**
 * docs/integrations/langgraph.md's first snippet as a script of its own: tracing set up as the
 * page says, then a graph whose tool error ends it, left to take the process down as an
 * unhandled error does. Usage: langgraph-script-agent.ts <collector URL> <model base URL>
 */
import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { QUESTION, salesAgent } from "./langgraph-agent.js";

const [collectorUrl, baseURL] = process.argv.slice(2) as [string, string];
const graph = salesAgent({ baseURL, handleToolErrors: false });
const input = { messages: [QUESTION] };

const provider = new NodeTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` }))],
});
provider.register();
new LangChainInstrumentation().manuallyInstrument(CallbackManagerModule); // ESM: by hand
try {
  await graph.invoke(input, { runName: "sales-analyst" }); // the run's name (default: LangGraph)
} finally {
  await provider.shutdown(); // a script sends what is left before it exits, also when the graph throws
}
