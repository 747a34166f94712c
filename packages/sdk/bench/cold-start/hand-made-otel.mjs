// The baseline: the light OpenTelemetry trace SDK with the OTLP/HTTP exporter, set up by hand the way
// init() sets it up (resource, batch processor, async-hooks context manager, global provider).
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ "service.name": "cold-start" }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: "http://127.0.0.1:4318/v1/traces" }))],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);
// What the process used, for the bench: peak RSS (KiB) and CPU time (µs).
process.on("exit", () => {
  const usage = process.resourceUsage();
  process.stdout.write(`${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
