import type { SpanRecord } from "../../domain.js";
import { spanValues } from "../span-values.js";

/** The columns the writer sets, in the order of SPAN_COLUMNS and SPAN_TYPES. */
export const SPAN_COLUMNS = [
  "span_key",
  "trace_id",
  "span_id",
  "parent_span_id",
  "run_id",
  "attempt",
  "kind",
  "name",
  "status",
  "started_at",
  "ended_at",
  "duration_ms",
  "start_ns",
  "end_ns",
  "step_index",
  "model",
  "provider",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "input",
  "output",
  "error",
  "service",
  "attributes",
  "step_by_order",
  "resource",
  "tool",
] as const;

const SPAN_TYPES: Record<(typeof SPAN_COLUMNS)[number], string> = {
  span_key: "bigint",
  attempt: "integer",
  duration_ms: "float8",
  start_ns: "bigint",
  end_ns: "bigint",
  step_index: "integer",
  input_tokens: "bigint",
  output_tokens: "bigint",
  cost_usd: "float8",
  step_by_order: "integer",
  trace_id: "text",
  span_id: "text",
  parent_span_id: "text",
  run_id: "text",
  kind: "text",
  name: "text",
  status: "text",
  started_at: "text",
  ended_at: "text",
  model: "text",
  provider: "text",
  input: "text",
  output: "text",
  error: "text",
  service: "text",
  attributes: "text",
  tool: "text",
  resource: "text",
};

export type SpanValues = unknown[];
export const KEY = 0;

/**
 * Upserts many spans in one statement: one array per column, unnested. A row already stored
 * under the key is replaced only when it is the same span (trace and span ID): two traces that
 * share a key base (more than 2^21 in an hour) must never overwrite each other's spans.
 */
export const UPSERT_SPANS_SQL = `
INSERT INTO spans AS s (${SPAN_COLUMNS.join(", ")})
SELECT * FROM unnest(${SPAN_COLUMNS.map((c, i) => `$${i + 1}::${SPAN_TYPES[c]}[]`).join(", ")})
ON CONFLICT (span_key) DO UPDATE SET
  ${SPAN_COLUMNS.slice(3)
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}, messages_from_logs = 0
WHERE s.trace_id = excluded.trace_id AND s.span_id = excluded.span_id`;

/** Column arrays for UPSERT_SPANS_SQL. */
export function spanColumns(rows: readonly SpanValues[]): unknown[][] {
  return SPAN_COLUMNS.map((_, column) => rows.map((row) => row[column]));
}

/** A span's row, in the order of SPAN_COLUMNS: the SQLite store's, and the tool's name. */
export function spanRow(
  span: SpanRecord,
  key: bigint,
  runId: string | null,
  stepByOrder: boolean,
): SpanValues {
  const values = spanValues(span, key, runId, stepByOrder);
  values.push(toolName(span));
  return values;
}

const TOOL_NAME_KEYS = ["gen_ai.tool.name", "tool.name", "ai.toolCall.name", "traceloop.entity.name"];

/**
 * `spans.tool`: a tool call's name from the attributes instrumentations put it in, else the span
 * name (the SQLite store's generated column, computed here once per write).
 */
export function toolName(span: SpanRecord): string | null {
  if (span.kind !== "tool") return null;
  let attributes: unknown;
  try {
    attributes = JSON.parse(span.attributes);
  } catch {
    return span.name;
  }
  if (attributes && typeof attributes === "object") {
    for (const key of TOOL_NAME_KEYS) {
      const value = (attributes as Record<string, unknown>)[key];
      if (value !== null && value !== undefined)
        return typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return span.name;
}
