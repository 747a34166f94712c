import type { Attributes } from "@opentelemetry/api";
import type { ReadableSpan, Span } from "@opentelemetry/sdk-trace-base";
import { ATTR_HEARTBEAT_INTERVAL_MS, ATTR_RUN_ID, ATTR_SPAN_KIND } from "../conventions.js";

/**
 * Attributes that AI instrumentations set when a span starts (Vercel AI SDK, OTel GenAI,
 * Traceloop): a trace with such a span is an agent's, and the collector makes it a run
 * (`trace-directory.ts`).
 */
const AGENT_SPAN_KEYS = [
  "ai.operationId", // vercel (ai 5/6)
  "gen_ai.operation.name", // genai, vercel v7
  "gen_ai.system", // genai-deprecated, traceloop
  "gen_ai.provider.name", // genai
  "openinference.span.kind", // openinference
  "traceloop.span.kind", // traceloop
] as const;

/**
 * Instrumentations whose every span is an agent's, by the name of their tracer: OpenInference's
 * LangChain spans (LangGraph's) start with no attribute at all, everything arrives at their end.
 */
const AGENT_SCOPE_PREFIXES = [
  "@arizeai/openinference-instrumentation-", // openinference
  "@traceloop/instrumentation-", // traceloop
] as const;

/** Whether the span says, at its start, that another instrumentation's agent made it. */
export function isAgentSpan(span: ReadableSpan): boolean {
  const attrs = span.attributes;
  for (const key of AGENT_SPAN_KEYS) if (attrs[key] !== undefined) return true;
  const scope = span.instrumentationScope?.name ?? "";
  return AGENT_SCOPE_PREFIXES.some((prefix) => scope.startsWith(prefix));
}

/**
 * The runs of agents not written with `run()`: a framework's agent call (Vercel AI SDK's
 * `ai.generateText`, LangGraph's graph) is a run from its outermost span, the first agent span
 * of its trace while no run of the trace is open in this process. Spans inside it, and any agent
 * span inside a run of our own SDK, are not runs. An HTTP request that serves an agent is not
 * announced: the collector judges the run by the agent's span (its newest run span), and the
 * request costs nothing extra.
 *
 * A framework's spans are not ours to change (other exporters see them too): what marks its
 * outermost span as a run (`flightrec.span.kind = run`, the heartbeat interval, an interruption
 * reason) is added only to the copies Flightrec sends.
 */
export class FrameworkRuns {
  /** Runs (ours and frameworks') open in this process, counted by trace ID. */
  private readonly openInTrace = new Map<string, number>();
  /** Framework runs still open, with the attributes their copies carry. */
  private readonly open = new Map<Span, Attributes>();

  constructor(private readonly heartbeatIntervalMs: number) {}

  get size(): number {
    return this.open.size;
  }

  /** Sees a span start; true when it is a framework's run (its placeholder is due now). */
  onStart(span: Span): boolean {
    const traceId = span.spanContext().traceId;
    const kind = span.attributes[ATTR_SPAN_KIND];
    if (kind !== undefined || span.attributes[ATTR_RUN_ID] !== undefined) {
      // Our own SDK's span: its attributes say what it is; a run of ours holds the agent spans in it.
      if (kind === "run") this.count(traceId, 1);
      return false;
    }
    if (!isAgentSpan(span) || (this.openInTrace.get(traceId) ?? 0) > 0) return false;
    this.count(traceId, 1);
    this.open.set(span, {
      [ATTR_SPAN_KIND]: "run",
      [ATTR_HEARTBEAT_INTERVAL_MS]: this.heartbeatIntervalMs,
    });
    return true;
  }

  /**
   * Sees a span end; returns what its copy carries when it was a framework's run (its final
   * copy is then due, and the run is forgotten).
   */
  onEnd(span: ReadableSpan): Attributes | undefined {
    const extras = this.open.size > 0 ? this.open.get(span as Span) : undefined;
    if (extras) this.open.delete(span as Span);
    if (extras || span.attributes[ATTR_SPAN_KIND] === "run") this.count(span.spanContext().traceId, -1);
    return extras;
  }

  /** What a copy of the span carries beyond its own attributes (nothing unless it is a framework run). */
  extrasOf(span: ReadableSpan): Attributes | undefined {
    return this.open.size > 0 ? this.open.get(span as Span) : undefined;
  }

  /** Adds an attribute to the copies of every open framework run (e.g. why the process stops). */
  markAll(key: string, value: string): void {
    for (const extras of this.open.values()) extras[key] = value;
  }

  private count(traceId: string, by: 1 | -1): void {
    const n = (this.openInTrace.get(traceId) ?? 0) + by;
    if (n > 0) this.openInTrace.set(traceId, n);
    else this.openInTrace.delete(traceId);
  }
}
