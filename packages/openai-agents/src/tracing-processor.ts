import { flush, type InitOptions, init } from "@flightrec/sdk";
import { safely } from "@flightrec/sdk/bridge";
import type { Span, SpanData, Trace, TracingProcessor } from "@openai/agents";
import { TraceRecorder, type TraceRecorderOptions } from "./trace-recorder.js";

export interface FlightrecTracingProcessorOptions extends InitOptions, TraceRecorderOptions {
  /**
   * The Flightrec run ID for an Agents SDK trace; the trace's own ID (`trace_…`) when this is
   * absent or returns nothing. A trace's `groupId`, when set, is the run's request ID.
   */
  runId?: (trace: Trace) => string | undefined;
  /**
   * Record messages, tool arguments and results (default true). Set false with the Agents SDK's
   * `traceIncludeSensitiveData: false`: it still hands Responses API messages to processors.
   */
  captureContent?: boolean;
}

/**
 * A TracingProcessor for the OpenAI Agents SDK that records each trace as a Flightrec run. Add it
 * beside the default exporter (`addTraceProcessor`) or instead of it (`setTraceProcessors`).
 * Starts Flightrec with `options` unless `init()` already ran. Never throws into the agent.
 */
export function flightrecTracingProcessor(options: FlightrecTracingProcessorOptions = {}): TracingProcessor {
  init(options);
  return new FlightrecTracingProcessor({ runId: options.runId, captureContent: options.captureContent });
}

/**
 * A run that failed is ended by its task span, yet its trace is never ended by the Agents SDK: its
 * recorder stays (a caller that caught the error may add spans to the trace) until this many traces
 * are kept, then the oldest ended ones go.
 */
const MAX_KEPT_TRACES = 1_000;

class FlightrecTracingProcessor implements TracingProcessor {
  private readonly traces = new Map<string, TraceRecorder>();

  constructor(private readonly options: TraceRecorderOptions) {}

  async onTraceStart(trace: Trace): Promise<void> {
    safely(() => {
      if (this.traces.size >= MAX_KEPT_TRACES) this.forgetEndedTraces();
      this.traces.set(trace.traceId, new TraceRecorder(trace, this.options));
    });
  }

  async onTraceEnd(trace: Trace): Promise<void> {
    safely(() => {
      const recorder = this.traces.get(trace.traceId);
      this.traces.delete(trace.traceId);
      recorder?.end();
    });
  }

  async onSpanStart(span: Span<SpanData>): Promise<void> {
    safely(() => this.traces.get(span.traceId)?.spanStarted(span));
  }

  async onSpanEnd(span: Span<SpanData>): Promise<void> {
    safely(() => this.traces.get(span.traceId)?.spanEnded(span));
  }

  private forgetEndedTraces(): void {
    for (const [id, recorder] of this.traces) if (recorder.isEnded) this.traces.delete(id);
  }

  /** The Agents SDK shuts its processors down before the process exits: send what is recorded. */
  async shutdown(): Promise<void> {
    await flush();
  }

  async forceFlush(): Promise<void> {
    await flush();
  }
}
