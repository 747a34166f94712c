import protobuf from "protobufjs";

/**
 * Encodes an ExportLogsServiceRequest for tests, from the OTLP spec's field numbers written out
 * here on their own (not the collector's decoder schema), so a wrong number there fails a test.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    AnyValue: {
      fields: {
        stringValue: { type: "string", id: 1 },
        boolValue: { type: "bool", id: 2 },
        intValue: { type: "int64", id: 3 },
        kvlistValue: { type: "KeyValueList", id: 6 },
      },
    },
    KeyValueList: { fields: { values: { rule: "repeated", type: "KeyValue", id: 1 } } },
    KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
    LogRecord: {
      fields: {
        timeUnixNano: { type: "fixed64", id: 1 },
        severityNumber: { type: "int32", id: 2 },
        severityText: { type: "string", id: 3 },
        body: { type: "AnyValue", id: 5 },
        attributes: { rule: "repeated", type: "KeyValue", id: 6 },
        traceId: { type: "bytes", id: 9 },
        spanId: { type: "bytes", id: 10 },
        observedTimeUnixNano: { type: "fixed64", id: 11 },
        eventName: { type: "string", id: 12 },
      },
    },
    ScopeLogs: { fields: { logRecords: { rule: "repeated", type: "LogRecord", id: 2 } } },
    ResourceLogs: { fields: { scopeLogs: { rule: "repeated", type: "ScopeLogs", id: 2 } } },
    ExportLogsServiceRequest: { fields: { resourceLogs: { rule: "repeated", type: "ResourceLogs", id: 1 } } },
  },
});

const request = root.lookupType("ExportLogsServiceRequest");

export function encodeProtoLogsRequest(message: object): Uint8Array {
  return request.encode(request.fromObject(message)).finish();
}
