import type { RunStatus, SpanKindName } from "@flightrec/sdk/conventions";

export type { RunStatus, SpanKindName };
export type SpanStatus = "ok" | "error" | "running";

/** One span as the store sees it, whatever instrumentation produced it. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  runId: string | null;
  /** The run's name, when this span says it (run spans do). */
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
  /** A placeholder for a span that has started but not yet ended. */
  pending: boolean;
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
