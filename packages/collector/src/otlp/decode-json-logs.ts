import {
  checkAttributes,
  checkInt64,
  checkResource,
  decodeJsonBody,
  fail,
  HEX_SPAN_ID,
  HEX_TRACE_ID,
  isObject,
  optionalArray,
} from "./json-checks.js";
import type { OtlpExportLogsRequest } from "./types.js";

/** Parses an OTLP/JSON ExportLogsServiceRequest; throws MalformedRequestError naming the problem. */
export function decodeJsonLogsRequest(body: string): OtlpExportLogsRequest {
  return decodeJsonBody(body, "logs export request", (parsed) => {
    if (!isObject(parsed)) fail("body", "expected an object");
    optionalArray(parsed.resourceLogs, "resourceLogs")?.forEach((rl, r) => {
      const at = `resourceLogs.${r}`;
      if (!isObject(rl)) fail(at, "expected an object");
      checkResource(rl.resource, `${at}.resource`);
      optionalArray(rl.scopeLogs, `${at}.scopeLogs`)?.forEach((sl, s) => {
        const sat = `${at}.scopeLogs.${s}`;
        if (!isObject(sl)) fail(sat, "expected an object");
        optionalArray(sl.logRecords, `${sat}.logRecords`)?.forEach((record, i) => {
          checkLogRecord(record, `${sat}.logRecords.${i}`);
        });
      });
    });
  });
}

/** A log record's IDs are optional (empty when the record was written outside a span). */
function checkLogRecord(record: unknown, at: string): void {
  if (!isObject(record)) fail(at, "expected an object");
  checkOptionalId(record.traceId, HEX_TRACE_ID, `${at}.traceId`, "32");
  checkOptionalId(record.spanId, HEX_SPAN_ID, `${at}.spanId`, "16");
  checkInt64(record.timeUnixNano, `${at}.timeUnixNano`, false);
  checkInt64(record.observedTimeUnixNano, `${at}.observedTimeUnixNano`, false);
  if (record.severityNumber !== undefined && !Number.isInteger(record.severityNumber))
    fail(`${at}.severityNumber`, "expected an integer");
  for (const field of ["severityText", "eventName"] as const) {
    if (record[field] !== undefined && typeof record[field] !== "string")
      fail(`${at}.${field}`, "expected a string");
  }
  if (record.body !== undefined && record.body !== null && !isObject(record.body))
    fail(`${at}.body`, "expected an AnyValue object");
  checkAttributes(record.attributes, `${at}.attributes`);
}

function checkOptionalId(value: unknown, pattern: RegExp, at: string, length: string): void {
  if (value === undefined || value === "") return;
  if (typeof value !== "string" || !pattern.test(value))
    fail(at, `expected ${length} hex characters or nothing`);
}
