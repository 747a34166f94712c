import { LangChainInstrumentation } from "@arizeai/openinference-instrumentation-langchain";
import * as CallbackManagerModule from "@langchain/core/callbacks/manager";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

export interface LangGraphTracing {
  provider: NodeTracerProvider;
  instrumentation: LangChainInstrumentation;
  /** Sends what is left and stops tracing. */
  stop(): Promise<void>;
}

/**
 * Tracing as OpenInference's LangChain README sets it up: a registered Node tracer provider and
 * the callbacks manager module instrumented by hand (an ESM app's require hooks never see it),
 * here exporting each span as it ends over OTLP/HTTP to `tracesUrl`.
 */
export function traceLangGraph(tracesUrl: string, service: string): LangGraphTracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: tracesUrl }))],
  });
  provider.register();
  const instrumentation = new LangChainInstrumentation();
  instrumentation.manuallyInstrument(CallbackManagerModule);
  return {
    provider,
    instrumentation,
    stop: async () => {
      await provider.forceFlush();
      instrumentation.disable();
      await provider.shutdown();
    },
  };
}
