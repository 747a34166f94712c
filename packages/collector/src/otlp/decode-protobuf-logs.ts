import { MalformedRequestError } from "../errors.js";
import { anyValue, id, keyValues, long } from "./decode-protobuf.js";
import { decodeProtoLogsRequest, type ProtoExportLogsRequest, type ProtoLogRecord } from "./proto-logs.js";
import type { OtlpExportLogsRequest, OtlpLogRecord } from "./types.js";

/** Parses an OTLP/protobuf ExportLogsServiceRequest into the same wire types as OTLP/JSON. */
export function decodeProtobufLogsRequest(body: Uint8Array): OtlpExportLogsRequest {
  let message: ProtoExportLogsRequest;
  try {
    message = decodeProtoLogsRequest(body);
  } catch (error) {
    throw new MalformedRequestError(`invalid protobuf: ${(error as Error).message}`);
  }
  return {
    resourceLogs: (message.resourceLogs ?? []).map((rl, r) => ({
      resource: { attributes: keyValues(rl.resource?.attributes) },
      scopeLogs: (rl.scopeLogs ?? []).map((sl, s) => ({
        scope: { name: sl.scope?.name, version: sl.scope?.version },
        logRecords: (sl.logRecords ?? []).map((record, i) =>
          toLogRecord(record, `resourceLogs.${r}.scopeLogs.${s}.logRecords.${i}`),
        ),
      })),
    })),
  };
}

function toLogRecord(record: ProtoLogRecord, path: string): OtlpLogRecord {
  return {
    timeUnixNano: long(record.timeUnixNano),
    observedTimeUnixNano: long(record.observedTimeUnixNano),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: anyValue(record.body, 0),
    attributes: keyValues(record.attributes),
    // Unset IDs are empty bytes: a record written outside a span.
    traceId: record.traceId?.length ? id(record.traceId, 16, `${path}.traceId`) : undefined,
    spanId: record.spanId?.length ? id(record.spanId, 8, `${path}.spanId`) : undefined,
    eventName: record.eventName,
  };
}
