import protobuf from "protobufjs";
import type { ProtoKeyValue, ProtoLong } from "./proto-root.js";

/*
 * The OTLP logs messages, described to protobufjs from the spec's field numbers
 * (opentelemetry-proto logs/v1, collector/logs/v1, common/v1). The generated root of
 * `@opentelemetry/otlp-transformer` 0.52 predates `LogRecord.event_name` (field 12, OTLP 1.5),
 * which current senders use to name GenAI content events, so it cannot decode them.
 */

const anyValue = {
  oneofs: {
    value: {
      oneof: [
        "stringValue",
        "boolValue",
        "intValue",
        "doubleValue",
        "arrayValue",
        "kvlistValue",
        "bytesValue",
      ],
    },
  },
  fields: {
    stringValue: { type: "string", id: 1 },
    boolValue: { type: "bool", id: 2 },
    intValue: { type: "int64", id: 3 },
    doubleValue: { type: "double", id: 4 },
    arrayValue: { type: "ArrayValue", id: 5 },
    kvlistValue: { type: "KeyValueList", id: 6 },
    bytesValue: { type: "bytes", id: 7 },
  },
};
const keyValues = (id: number) => ({ rule: "repeated", type: "KeyValue", id });

const descriptor = {
  nested: {
    AnyValue: anyValue,
    ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
    KeyValueList: { fields: { values: keyValues(1) } },
    KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
    Resource: { fields: { attributes: keyValues(1) } },
    InstrumentationScope: {
      fields: {
        name: { type: "string", id: 1 },
        version: { type: "string", id: 2 },
        attributes: keyValues(3),
      },
    },
    LogRecord: {
      fields: {
        timeUnixNano: { type: "fixed64", id: 1 },
        observedTimeUnixNano: { type: "fixed64", id: 11 },
        severityNumber: { type: "int32", id: 2 },
        severityText: { type: "string", id: 3 },
        body: { type: "AnyValue", id: 5 },
        attributes: keyValues(6),
        traceId: { type: "bytes", id: 9 },
        spanId: { type: "bytes", id: 10 },
        eventName: { type: "string", id: 12 },
      },
    },
    ScopeLogs: {
      fields: {
        scope: { type: "InstrumentationScope", id: 1 },
        logRecords: { rule: "repeated", type: "LogRecord", id: 2 },
      },
    },
    ResourceLogs: {
      fields: {
        resource: { type: "Resource", id: 1 },
        scopeLogs: { rule: "repeated", type: "ScopeLogs", id: 2 },
      },
    },
    ExportLogsServiceRequest: {
      fields: { resourceLogs: { rule: "repeated", type: "ResourceLogs", id: 1 } },
    },
    ExportLogsPartialSuccess: {
      fields: { rejectedLogRecords: { type: "int64", id: 1 }, errorMessage: { type: "string", id: 2 } },
    },
    ExportLogsServiceResponse: { fields: { partialSuccess: { type: "ExportLogsPartialSuccess", id: 1 } } },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

export interface ProtoLogRecord {
  timeUnixNano?: ProtoLong;
  observedTimeUnixNano?: ProtoLong;
  severityNumber?: number;
  severityText?: string;
  body?: ProtoKeyValue["value"];
  attributes?: ProtoKeyValue[];
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  eventName?: string;
}

export interface ProtoExportLogsRequest {
  resourceLogs?: {
    resource?: { attributes?: ProtoKeyValue[] };
    scopeLogs?: { scope?: { name?: string; version?: string }; logRecords?: ProtoLogRecord[] }[];
  }[];
}

const requestType = root.lookupType("ExportLogsServiceRequest");
const responseType = root.lookupType("ExportLogsServiceResponse");

/**
 * Decodes an ExportLogsServiceRequest. Only fields present on the wire are set (protobufjs
 * reflection keeps defaults on the prototype, where a check for "set" would find them); 64-bit
 * integers come as decimal strings, exact.
 */
export function decodeProtoLogsRequest(body: Uint8Array): ProtoExportLogsRequest {
  const message = requestType.decode(body);
  return requestType.toObject(message, { longs: String, defaults: false }) as ProtoExportLogsRequest;
}

/** ExportLogsServiceResponse, with partialSuccess when records were rejected. */
export function encodeProtoLogsResponse(
  partial: { rejected: number; errorMessage: string } | null,
): Uint8Array {
  const message = partial
    ? { partialSuccess: { rejectedLogRecords: partial.rejected, errorMessage: partial.errorMessage } }
    : {};
  return responseType.encode(responseType.fromObject(message)).finish();
}
