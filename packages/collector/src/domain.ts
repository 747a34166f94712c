import type { RunStatus, SpanKindName } from "@flightrec/sdk/conventions";

export type { RunStatus, SpanKindName };
export type SpanStatus = "ok" | "error" | "running";

/** One span as the store sees it, whatever instrumentation produced it. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  runId: string | null;
  /** The run's name, when this span says it (run spans do, and every span of some frameworks). */
  runName: string | null;
  requestId: string | null;
  service: string | null;
  attempt: number;
  kind: SpanKindName;
  name: string;
  status: SpanStatus;
  errorMessage: string | null;
  /** Epoch nanoseconds, exact. */
  startNs: bigint;
  endNs: bigint | null;
  stepIndex: number | null;
  model: string | null;
  provider: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** JSON text. */
  input: string | null;
  /** JSON text. */
  output: string | null;
  /** All attributes as one JSON object text. */
  attributes: string;
  /**
   * The resource attributes (service, SDK versions, host, runtime) as one JSON object text, kept
   * on run spans only: each attempt's environment, without repeating it on every span.
   */
  resource?: string | null;
  /** A placeholder for a span that has started but not yet ended. */
  pending: boolean;
  /** Decisions recorded on this span (events named `flightrec.decision`). */
  decisions: DecisionRecord[];
  /** Set when the span failed: what broke and the input it was working on. */
  failure: FailureRecord | null;
  /**
   * A step derived from a model call of a framework's agent loop: the tool calls that follow
   * it under the same parent are its turn (normalize/opened-step.ts, store agent-turns.ts).
   */
  opensTurn?: boolean;
  /** A tool call of such a loop: it joins the turn of the model call before it. */
  joinsTurn?: boolean;
  /**
   * A step its source names by number, whose model call is a span inside it: the store names it
   * by that call's `decidedStep` (normalize/call-named-step.ts).
   */
  namedByCall?: boolean;
  /** A model call that decided something: the name of the step it implies, for such a step. */
  decidedStep?: string;
}

export interface DecisionRecord {
  /** Step index the decision was made in (null outside a step). */
  step: number | null;
  action: string;
  reasoning: string | null;
  /** Tokens and cost of the step at the moment of the decision. */
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** Extra fields given to decide(), as JSON text (`flightrec.decision.details`); absent or null when none. */
  details?: string | null;
  tsNs: bigint;
}

export interface FailureRecord {
  step: number | null;
  errorType: string | null;
  message: string;
  stack: string | null;
  /** The failing call's input (redacted, size-capped JSON text). */
  input: string | null;
  /** What else is needed to reproduce it, e.g. the run's input (JSON text). */
  context: string | null;
  tsNs: bigint;
}

/** A rejected span and why, reported back as OTLP partial success. */
export interface RejectedSpan {
  spanId: string;
  reason: string;
}

export interface NormalizedBatch {
  spans: SpanRecord[];
  rejected: RejectedSpan[];
}

/** One log record as the store sees it: a line a span wrote, a GenAI content event, or a line of no span. */
export interface LogRecord {
  /**
   * Content hash of the record (IDs, times, severity, event name, body, attributes, service):
   * log records have no ID of their own, and a re-sent record must not be stored twice.
   */
  logId: string;
  traceId: string | null;
  spanId: string | null;
  requestId: string | null;
  service: string | null;
  /** When it happened (its time, else when it was observed), epoch nanoseconds. */
  tsNs: bigint;
  severityNumber: number | null;
  severityText: string | null;
  /** The event's name (`gen_ai.user.message`, …); null for a plain log line. */
  eventName: string | null;
  /** JSON text of the body; null when it had none. */
  body: string | null;
  /** All attributes as one JSON object text. */
  attributes: string;
  /** The instrumentation scope that wrote it (e.g. `@opentelemetry/instrumentation-pino`). */
  scope: string | null;
  /** For a GenAI content event: the message it adds to its LLM span's conversation. */
  conversation: ConversationEntry | null;
}

/** One message of an LLM call's conversation, from a GenAI content event. */
export interface ConversationEntry {
  part: "input" | "output";
  /**
   * JSON text of the message in the shape our SDK records (see genai-content-events.ts), or of
   * an array of them for an event that lists several.
   */
  message: string;
}

/** A rejected log record and why, reported back as OTLP partial success. */
export interface RejectedLog {
  /** Where it was in the request, e.g. `resourceLogs.0.scopeLogs.0.logRecords.3`. */
  at: string;
  reason: string;
}

export interface NormalizedLogBatch {
  logs: LogRecord[];
  rejected: RejectedLog[];
}
