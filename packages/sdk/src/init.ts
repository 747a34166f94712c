import { context, ProxyTracerProvider, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { agentResource } from "./agent-resource.js";
import { resolveEndpoint, tracesUrl } from "./config.js";
import {
  configureDurability,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  type DurabilityOptions,
} from "./durability/config.js";
import {
  DEFAULT_MAX_QUEUED_SPANS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DurableSpanProcessor,
} from "./durability/durable-span-processor.js";
import { installProcessHooks } from "./durability/process-hooks.js";
import { OtlpHttpExporter } from "./export/otlp-http-exporter.js";
import { DEFAULT_MAX_IN_FLIGHT } from "./export/send-queue.js";
import type { DeliveryStats } from "./fail-open.js";
import type { PriceOverrides } from "./pricing.js";
import { configure } from "./settings.js";
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
  /** Longest one export request may take, retries included, in ms. */
  exportTimeoutMs?: number;
  /** Most spans waiting for export; beyond it spans are dropped and counted. */
  maxQueuedSpans?: number;
  /** Extra secrets to redact before export (matched in every captured text). */
  redact?: RegExp[];
  /** Longest captured payload (JSON text) per attribute; longer is cut with a marker. */
  maxAttributeChars?: number;
  /** Model prices (USD per million tokens) that win over the bundled price table. */
  prices?: PriceOverrides;
  /** Default tool() timeout in ms (else FLIGHTREC_TOOL_TIMEOUT_MS). */
  toolTimeoutMs?: number;
}

/**
 * flightrecSpanProcessor()'s options: init()'s, except the service name, which belongs to the
 * resource of the app's own provider (NodeSDK's `serviceName`, OTEL_SERVICE_NAME), not to a span
 * processor.
 */
export type FlightrecSpanProcessorOptions = Omit<InitOptions, "serviceName">;

export const DEFAULT_EXPORT_INTERVAL_MS = 200;
export const DEFAULT_EXPORT_TIMEOUT_MS = 5_000;

interface Installed {
  provider: BasicTracerProvider;
  registeredGlobally: boolean;
  shutdownTimeoutMs: number;
}

let installed: Installed | undefined;
/** The processor init() (or the last flightrecSpanProcessor()) built, for deliveryStats(). */
let delivery: DurableSpanProcessor | undefined;

/**
 * Builds the span processor Flightrec needs (placeholders, heartbeat, acknowledged
 * checkpoints, one bounded coalescing send queue, fail-open). Apps that run their own
 * NodeSDK or TracerProvider pass it in `spanProcessors`: the runs of agents written with a
 * framework (a trace's root, see FrameworkRuns) get placeholders and heartbeats like `run()`'s,
 * and SIGTERM, SIGINT, fatal errors and the end of the event loop flush what is recorded
 * (`handleProcessEvents: false` turns that off), since NodeSDK does none of it.
 */
export function flightrecSpanProcessor(options: FlightrecSpanProcessorOptions = {}): SpanProcessor {
  if ((options as InitOptions).serviceName !== undefined) {
    // Said rather than thrown: a wrong name must not stop the app from starting.
    console.warn(
      "[flightrec] flightrecSpanProcessor() ignores serviceName: the service name is your provider's resource." +
        " Pass it to NodeSDK ({ serviceName }) or set OTEL_SERVICE_NAME.",
    );
  }
  validate(options);
  configureCapture(options);
  configureDurability(options);
  delivery = new DurableSpanProcessor({
    exporter: options.exporter ?? createExporter(options),
    exportIntervalMs: options.exportIntervalMs ?? DEFAULT_EXPORT_INTERVAL_MS,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    maxQueuedSpans: options.maxQueuedSpans ?? DEFAULT_MAX_QUEUED_SPANS,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    destination: options.exporter ? "the configured exporter" : tracesUrl(resolveEndpoint(options.endpoint)),
  });
  // SIGTERM/SIGINT and fatal errors: mark open runs interrupted and flush, within the bound.
  if (options.handleProcessEvents !== false) {
    installProcessHooks(options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
  }
  return delivery;
}

function createExporter(options: InitOptions): SpanExporter {
  const token = options.token ?? process.env.FLIGHTREC_TOKEN;
  return new OtlpHttpExporter({
    url: tracesUrl(resolveEndpoint(options.endpoint)),
    headers: token ? { authorization: `Bearer ${token}` } : {},
    timeoutMs: options.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS,
    maxSockets: DEFAULT_MAX_IN_FLIGHT,
  });
}

function configureCapture(options: InitOptions): void {
  configure({
    ...(options.redact ? { redactPatterns: options.redact } : {}),
    ...(options.maxAttributeChars ? { maxAttributeChars: options.maxAttributeChars } : {}),
    ...(options.prices ? { priceOverrides: options.prices } : {}),
    ...(options.toolTimeoutMs !== undefined ? { toolTimeoutMs: options.toolTimeoutMs } : {}),
  });
}

/**
 * Starts recording. Idempotent: a second call changes nothing. If the app already
 * registered a global TracerProvider, Flightrec works beside it with a provider of its own
 * and leaves the app's in place (apps on NodeSDK can instead add flightrecSpanProcessor()).
 */
export function init(options: InitOptions = {}): void {
  if (installed) return;
  const { serviceName, ...processorOptions } = options;
  const processor = flightrecSpanProcessor(processorOptions);
  const provider = new BasicTracerProvider({
    resource: agentResource(serviceName ?? process.env.OTEL_SERVICE_NAME ?? "agent"),
    spanProcessors: [processor],
  });
  const appHasProvider = hasGlobalTracerProvider();
  if (!appHasProvider) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  } else if (!hasContextManager()) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  }
  setTracer(provider.getTracer(TRACER_NAME, TRACER_VERSION));
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  installed = { provider, registeredGlobally: !appHasProvider, shutdownTimeoutMs };
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
    if (current.registeredGlobally) {
      trace.disable();
      context.disable();
    }
  }
}

/** Sends what has ended so far without stopping. Never throws. */
export async function flush(): Promise<void> {
  try {
    await installed?.provider.forceFlush();
  } catch {
    // Counted by the fail-open processor; the agent goes on.
  }
}

/** Spans sent, failed and dropped since init(). */
export function deliveryStats(): DeliveryStats {
  return { ...(delivery?.stats ?? { sent: 0, failed: 0, dropped: 0 }) };
}

/** True when someone already called trace.setGlobalTracerProvider. */
function hasGlobalTracerProvider(): boolean {
  const current = trace.getTracerProvider();
  return !(current instanceof ProxyTracerProvider) || current.getDelegateTracer("probe") !== undefined;
}

/** The API's global context manager is a no-op until one is registered: probe it. */
function hasContextManager(): boolean {
  const key = Symbol("probe");
  return context.with(context.active().setValue(key, true), () => context.active().getValue(key) === true);
}

function validate(options: InitOptions): void {
  const positive = [
    "exportIntervalMs",
    "exportTimeoutMs",
    "shutdownTimeoutMs",
    "maxQueuedSpans",
    "maxAttributeChars",
  ] as const;
  for (const key of positive) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new TypeError(`init(): ${key} must be a positive number, got ${String(value)}`);
    }
  }
  if (
    options.toolTimeoutMs !== undefined &&
    !(Number.isFinite(options.toolTimeoutMs) && options.toolTimeoutMs >= 0)
  ) {
    throw new TypeError(
      `init(): toolTimeoutMs must be a non-negative number, got ${String(options.toolTimeoutMs)}`,
    );
  }
  for (const pattern of options.redact ?? []) {
    if (!(pattern instanceof RegExp)) throw new TypeError("init(): redact must be a list of RegExp");
  }
}
