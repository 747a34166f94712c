import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

/**
 * A tracer provider exporting each span as it ends to the collector over OTLP/HTTP, as an app
 * traced by another library's instrumentation has one.
 */
export function exportingProvider(
  collectorUrl: string,
  service: string,
  encoding: "json" | "protobuf",
): BasicTracerProvider {
  const url = `${collectorUrl}/v1/traces`;
  const exporter = encoding === "json" ? new JsonExporter({ url }) : new ProtobufExporter({ url });
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
}
