import { isReplayedStep, type SpanRow } from "../api/schemas";

/** A span row for unit tests; only what a test names differs from the defaults. */
export function span(over: Partial<SpanRow> & { span_id: string }): SpanRow {
  const started_at = over.started_at ?? "2026-01-01T00:00:00.000Z";
  const duration_ms = over.duration_ms === undefined ? 10 : over.duration_ms;
  return {
    trace_id: "t",
    parent_span_id: null,
    run_id: "run-1",
    attempt: 1,
    kind: "step",
    name: over.span_id,
    status: "ok",
    ended_at: duration_ms === null ? null : new Date(Date.parse(started_at) + duration_ms).toISOString(),
    step_index: null,
    model: null,
    provider: null,
    input_tokens: null,
    output_tokens: null,
    cost_usd: null,
    input: null,
    output: null,
    error: null,
    attributes: "{}",
    resource: null,
    replayed: isReplayedStep(over.attributes ?? "{}"),
    ...over,
    started_at,
    duration_ms,
  };
}
