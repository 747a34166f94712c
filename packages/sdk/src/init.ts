import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { resolveEndpoint, tracesUrl } from "./config.js";
import {
  configureDurability,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  type DurabilityOptions,
} from "./durability/config.js";
import { DurableSpanProcessor } from "./durability/durable-span-processor.js";
import { installProcessHooks } from "./durability/process-hooks.js";
import { setTracer, TRACER_NAME, TRACER_VERSION } from "./tracer.js";

export interface InitOptions extends DurabilityOptions {
  /** `service.name` of the resource; defaults to OTEL_SERVICE_NAME or "agent". */
  serviceName?: string;
  /** Collector base URL; see resolveEndpoint for the fallbacks. */
  endpoint?: string;
  /** Bearer token for a collector started with --token (else FLIGHTREC_TOKEN). */
  token?: string;
  /** Replaces the OTLP exporter, e.g. an InMemorySpanExporter in tests. */
  exporter?: SpanExporter;
  /** How often finished spans are sent, in ms. Short, so a killed agent loses little. */
  exportIntervalMs?: number;
  /** Upper bound for shutdown()'s flush, in ms. */
  shutdownTimeoutMs?: number;
}

export const DEFAULT_EXPORT_INTERVAL_MS = 200;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

interface Installed {
  provider: BasicTracerProvider;
  registeredGlobally: boolean;
  shutdownTimeoutMs: number;
}

let installed: Installed | undefined;

/**
 * Builds the span processor Flightrec needs (export to the collector shortly after each
 * span ends). Apps that run their own NodeSDK pass it in `spanProcessors`.
 */
export function flightrecSpanProcessor(options: InitOptions = {}): SpanProcessor {
  configureDurability(options);
  const exporter = options.exporter ?? createExporter(options);
  const exportIntervalMs = options.exportIntervalMs ?? DEFAULT_EXPORT_INTERVAL_MS;
  // Pending placeholders, heartbeats and acknowledged checkpoints around the usual batching.
  return new DurableSpanProcessor({
    exporter,
    batch: new BatchSpanProcessor(exporter, { scheduledDelayMillis: exportIntervalMs }),
    exportIntervalMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
  });
}

function createExporter(options: InitOptions): SpanExporter {
  const token = options.token ?? process.env.FLIGHTREC_TOKEN;
  return new OTLPTraceExporter({
    url: tracesUrl(resolveEndpoint(options.endpoint)),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/**
 * Starts recording. Idempotent: a second call returns without registering anything twice.
 * If the app already registered a global TracerProvider, Flightrec works beside it with a
 * provider of its own rather than replacing the app's.
 */
export function init(options: InitOptions = {}): void {
  if (installed) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": options.serviceName ?? process.env.OTEL_SERVICE_NAME ?? "agent",
    }),
    spanProcessors: [flightrecSpanProcessor(options)],
  });
  // Returns false (and changes nothing) when the app already registered a provider.
  const registeredGlobally = trace.setGlobalTracerProvider(provider);
  setTracer(provider.getTracer(TRACER_NAME, TRACER_VERSION));
  installed = {
    provider,
    registeredGlobally,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
  };
  if (options.handleProcessEvents !== false) installProcessHooks(installed.shutdownTimeoutMs);
}

/** Flushes what is recorded and stops, waiting at most `shutdownTimeoutMs`. Never throws. */
export async function shutdown(): Promise<void> {
  const current = installed;
  if (!current) return;
  installed = undefined;
  setTracer(undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, current.shutdownTimeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([current.provider.shutdown(), timeout]);
  } catch (error) {
    console.warn("[flightrec] shutdown did not complete cleanly:", error);
  } finally {
    clearTimeout(timer);
    if (current.registeredGlobally) trace.disable();
  }
}

/** Sends what has ended so far without stopping. */
export async function flush(): Promise<void> {
  await installed?.provider.forceFlush();
}
