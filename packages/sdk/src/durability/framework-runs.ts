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

/** The first span of its trace in this process: no parent, or a parent in another process. */
function isLocalRoot(span: ReadableSpan): boolean {
  const parent = span.parentSpanContext;
  return parent === undefined || parent.isRemote === true;
}

/**
 * The runs of agents not written with `run()`: a framework's agent (Vercel AI SDK's
 * `ai.generateText`, LangGraph's graph, an HTTP request serving one) is a trace, and its run is
 * the trace's root, as the collector sees it. The root of a trace becomes a run when it starts
 * as an agent's span, or when the first agent span starts inside it (an HTTP handler that calls
 * a model). A run span of our own SDK in the trace is the run instead: its root stays a span.
 *
 * A framework's spans are not ours to change (other exporters see them too): what marks the
 * root as a run (`flightrec.span.kind = run`, the heartbeat interval, an interruption reason)
 * is added only to the copies Flightrec sends.
 */
export class FrameworkRuns {
  /** Local roots still open that are not runs (yet), by trace ID. */
  private readonly candidates = new Map<string, Span>();
  /** Framework runs still open, with the attributes their copies carry. */
  private readonly open = new Map<Span, Attributes>();

  constructor(private readonly heartbeatIntervalMs: number) {}

  get size(): number {
    return this.open.size;
  }

  /** Sees a span start; returns the root it made a run, if any (its placeholder is due now). */
  onStart(span: Span): Span | undefined {
    const traceId = span.spanContext().traceId;
    if (span.attributes[ATTR_SPAN_KIND] !== undefined || span.attributes[ATTR_RUN_ID] !== undefined) {
      // Our own SDK's span: its run (or, outside run(), none) is decided by our attributes.
      if (this.candidates.size > 0) this.candidates.delete(traceId);
      return undefined;
    }
    if (isLocalRoot(span)) {
      if (isAgentSpan(span)) return this.promote(span);
      this.candidates.set(traceId, span);
      return undefined;
    }
    if (this.candidates.size === 0 || !isAgentSpan(span)) return undefined;
    const root = this.candidates.get(traceId);
    if (!root) return undefined;
    this.candidates.delete(traceId);
    return root.ended ? undefined : this.promote(root);
  }

  /** Sees a span end; true when it was a framework run (its final copy is then due). */
  onEnd(span: ReadableSpan): boolean {
    if (this.candidates.size > 0) {
      const traceId = span.spanContext().traceId;
      if (this.candidates.get(traceId) === span) this.candidates.delete(traceId);
    }
    return this.open.size > 0 && this.open.has(span as Span);
  }

  /** Forgets an ended run, once its final copy was taken. */
  forget(span: ReadableSpan): void {
    this.open.delete(span as Span);
  }

  isRun(span: ReadableSpan): boolean {
    return this.open.size > 0 && this.open.has(span as Span);
  }

  /** What a copy of the span carries beyond its own attributes (nothing unless it is a framework run). */
  extrasOf(span: ReadableSpan): Attributes | undefined {
    return this.open.size > 0 ? this.open.get(span as Span) : undefined;
  }

  /** Adds an attribute to the copies of every open framework run (e.g. why the process stops). */
  markAll(key: string, value: string): void {
    for (const extras of this.open.values()) extras[key] = value;
  }

  runs(): Span[] {
    return [...this.open.keys()];
  }

  private promote(span: Span): Span {
    this.open.set(span, {
      [ATTR_SPAN_KIND]: "run",
      [ATTR_HEARTBEAT_INTERVAL_MS]: this.heartbeatIntervalMs,
    });
    return span;
  }
}
