/** The columns of the query API's rows, the same in every store's schema. */

/** A `RunRow`. */
export const RUN_COLUMNS = `run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name, steps,
  attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, trace_id, last_seen_at, updated_at`;

/** A `SpanRow`. */
export const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, run_id, attempt, kind, name, status, started_at, ended_at,
  duration_ms, step_index, model, provider, input_tokens, output_tokens, cost_usd, input, output, error, service,
  attributes, resource`;

/** A `LogRow`. */
export const LOG_COLUMNS = `log_id, trace_id, span_id, run_id, request_id, service, ts, severity_number, severity_text,
  event_name, body, attributes, scope`;
