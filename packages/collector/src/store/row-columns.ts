/** The columns of the query API's rows, the same in every store's schema. */

/** A `RunRow`. */
export const RUN_COLUMNS = `run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name, steps,
  attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, trace_id, last_seen_at, updated_at`;

/** A `SpanOutline`, without its `replayed` flag: a `SpanRow` but for input, output and attributes. */
export const OUTLINE_COLUMNS = `trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at,
  ended_at, duration_ms, step_index, model, provider, input_tokens, output_tokens, cost_usd, error, service, resource`;

/** A `SpanRow`. */
export const SPAN_COLUMNS = `${OUTLINE_COLUMNS}, input, output, attributes`;

/** A run's spans in time order; of those that start together, roots first (span-order.ts does the rest). */
export const RUN_SPANS_ORDER = "ORDER BY start_ns, parent_span_id IS NOT NULL, span_id";

/** A `LogRow`. */
export const LOG_COLUMNS = `log_id, trace_id, span_id, run_id, request_id, service, ts, severity_number, severity_text,
  event_name, body, attributes, scope`;
