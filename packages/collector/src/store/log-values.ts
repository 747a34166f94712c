import type { LogRecord } from "../domain.js";
import { nsToIso } from "./time.js";

/**
 * A log record's row, in the column order of the `logs` table as the writers insert it: log_id, trace_id,
 * span_id, run_id, request_id, service, ts, ts_ns, severity_number, severity_text, event_name, body,
 * attributes, scope, conversation_part, message.
 */
export function logValues(log: LogRecord, runId: string | null): unknown[] {
  return [
    log.logId,
    log.traceId,
    log.spanId,
    runId,
    log.requestId,
    log.service,
    nsToIso(log.tsNs),
    log.tsNs,
    log.severityNumber,
    log.severityText,
    log.eventName,
    log.body,
    log.attributes,
    log.scope,
    log.conversation?.part ?? null,
    log.conversation?.message ?? null,
  ];
}
