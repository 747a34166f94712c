import { createHash } from "node:crypto";
import type { LogRecord, NormalizedLogBatch } from "../domain.js";
import { anyValueToJs, attributesToObject } from "../otlp/attributes.js";
import type { OtlpExportLogsRequest, OtlpLogRecord } from "../otlp/types.js";
import { conversationEntryOf } from "./genai-content-events.js";
import { FIELD_KEYS } from "./mappings.js";
import { type Attributes, pickString } from "./pick.js";
import { storableTime, timeIfSet } from "./storable-time.js";

/** Older senders name an event in this attribute instead of the record's event name. */
const EVENT_NAME_ATTRIBUTE = "event.name";

/** Turns a decoded logs export request into domain records; a record that cannot be mapped is rejected alone. */
export function normalizeLogsRequest(request: OtlpExportLogsRequest): NormalizedLogBatch {
  const batch: NormalizedLogBatch = { logs: [], rejected: [] };
  (request.resourceLogs ?? []).forEach((resourceLogs, r) => {
    const resource = attributesToObject(resourceLogs.resource?.attributes);
    (resourceLogs.scopeLogs ?? []).forEach((scopeLogs, s) => {
      (scopeLogs.logRecords ?? []).forEach((record, i) => {
        try {
          batch.logs.push(normalizeLog(record, resource, scopeLogs.scope?.name ?? null));
        } catch (error) {
          const at = `resourceLogs.${r}.scopeLogs.${s}.logRecords.${i}`;
          batch.rejected.push({ at, reason: (error as Error).message });
        }
      });
    });
  });
  return batch;
}

/** Maps one log record to the domain record. Pure. */
export function normalizeLog(record: OtlpLogRecord, resource: Attributes, scope: string | null): LogRecord {
  const attrs = attributesToObject(record.attributes);
  const time = timeIfSet(record.timeUnixNano) ?? timeIfSet(record.observedTimeUnixNano);
  if (time === undefined) throw new Error("neither timeUnixNano nor observedTimeUnixNano is set");
  const traceId = record.traceId ? record.traceId.toLowerCase() : null;
  // A span ID means nothing without its trace.
  const spanId = traceId && record.spanId ? record.spanId.toLowerCase() : null;
  const body = record.body === undefined || record.body === null ? undefined : anyValueToJs(record.body, 0);
  const eventName = record.eventName || pickString(attrs, EVENT_NAME_ATTRIBUTE);
  const fields = {
    traceId,
    spanId,
    requestId: pickString(attrs, ...FIELD_KEYS.requestId) ?? pickString(resource, ...FIELD_KEYS.requestId),
    service: pickString(resource, "service.name"),
    tsNs: storableTime(time, record.timeUnixNano ? "timeUnixNano" : "observedTimeUnixNano"),
    severityNumber:
      Number.isInteger(record.severityNumber) && record.severityNumber ? record.severityNumber! : null,
    severityText: record.severityText || null,
    eventName,
    body: body === undefined ? null : JSON.stringify(body),
    attributes: JSON.stringify(attrs),
    scope,
    // Only a content event with a span has a conversation to join.
    conversation: spanId === null ? null : conversationEntryOf(eventName, body ?? null, attrs),
  };
  return { logId: contentHash(fields), ...fields };
}

/** 128 bits of SHA-256 over every stored field: equal records share it, different ones never in practice. */
function contentHash(fields: Omit<LogRecord, "logId">): string {
  const text = JSON.stringify(fields, (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
