import type { SpanRecord } from "../domain.js";
import { durationMs, nsToIso } from "./time.js";

/**
 * A span's row, positional in the column order both stores insert it in: span_key, trace_id,
 * span_id, parent_span_id, run_id, attempt, kind, name, status, started_at, ended_at, duration_ms,
 * start_ns, end_ns, step_index, model, provider, input_tokens, output_tokens, cost_usd, input,
 * output, error, service, attributes, step_by_order, resource (binding by name costs more on this
 * path).
 */
export function spanValues(
  span: SpanRecord,
  key: bigint,
  runId: string | null,
  stepByOrder: boolean,
): unknown[] {
  return [
    key,
    span.traceId,
    span.spanId,
    span.parentSpanId,
    runId,
    span.attempt,
    span.kind,
    span.name,
    span.status,
    nsToIso(span.startNs),
    span.endNs === null ? null : nsToIso(span.endNs),
    durationMs(span.startNs, span.endNs),
    span.startNs,
    span.endNs,
    span.stepIndex,
    span.model,
    span.provider,
    span.inputTokens,
    span.outputTokens,
    span.costUsd,
    span.input,
    span.output,
    span.errorMessage,
    span.service,
    span.attributes,
    stepByOrder ? 1 : 0,
    span.resource ?? null,
  ];
}

/** Where spanValues puts the step index. */
export const STEP_INDEX = 14;
