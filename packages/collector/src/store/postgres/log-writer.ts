import type pg from "pg";
import type { LogRecord } from "../../domain.js";
import { logValues } from "../log-values.js";
import type { IngestSummary } from "../store.js";
import { fillFromEvents } from "./conversations.js";
import { lockTraces } from "./trace-locks.js";

const TYPES = [
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "bigint",
  "integer",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
  "text",
];

/**
 * Writes log records in the caller's transaction (store/sqlite/log-writer.ts), in one statement:
 * a record already stored (same content hash) is skipped; a record of a trace that belongs to a
 * run is that run's; content events then fill their LLM span's conversation.
 */
export async function writeLogs(client: pg.ClientBase, logs: readonly LogRecord[]): Promise<IngestSummary> {
  const traceIds = [...new Set(logs.map((l) => l.traceId).filter((t): t is string => t !== null))];
  const runOf = new Map<string, string | null>();
  // A trace's spans may be claiming it for a run right now: its log records wait, then join the run.
  await lockTraces(client, traceIds);
  if (traceIds.length > 0) {
    const { rows } = await client.query<{ trace_id: string; run_id: string | null }>(
      "SELECT trace_id, run_id FROM traces WHERE trace_id = ANY($1::text[])",
      [traceIds],
    );
    for (const row of rows) runOf.set(row.trace_id, row.run_id);
  }
  // One row per ID: a statement may not insert the same key twice, and the first copy is the one kept.
  const unique = [...new Map(logs.map((log) => [log.logId, log])).values()];
  const rows = unique.map((log) =>
    logValues(log, log.traceId === null ? null : (runOf.get(log.traceId) ?? null)),
  );
  const { rows: inserted } = await client.query<{ log_id: string }>(
    `INSERT INTO logs (log_id, trace_id, span_id, run_id, request_id, service, ts, ts_ns, severity_number,
                       severity_text, event_name, body, attributes, scope, conversation_part, message)
     SELECT log_id, trace_id, span_id, run_id, request_id, service, ts, ts_ns, severity_number, severity_text,
            event_name, body, attributes, scope, conversation_part, message
     FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")}) WITH ORDINALITY
       AS u(log_id, trace_id, span_id, run_id, request_id, service, ts, ts_ns, severity_number, severity_text,
            event_name, body, attributes, scope, conversation_part, message, n)
     ORDER BY n
     ON CONFLICT (log_id) DO NOTHING RETURNING log_id`,
    TYPES.map((_, column) => rows.map((row) => row[column])),
  );
  const stored = new Set(inserted.map((r) => r.log_id));
  const runIds = new Set<string>();
  const spansWithEvents = new Map<string, [string, string]>();
  for (const log of unique) {
    if (!stored.has(log.logId)) continue;
    const runId = log.traceId === null ? null : (runOf.get(log.traceId) ?? null);
    if (runId !== null) runIds.add(runId);
    if (log.conversation && log.spanId !== null) {
      spansWithEvents.set(`${log.traceId}/${log.spanId}`, [log.traceId!, log.spanId]);
    }
  }
  for (const [traceId, spanId] of spansWithEvents.values()) await fillFromEvents(client, traceId, spanId);
  return { stored: stored.size, runIds: [...runIds], unstored: [] };
}
