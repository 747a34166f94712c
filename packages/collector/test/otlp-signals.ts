import { TraceServiceProto } from "../src/otlp/proto-root.js";
import { encodeProtoLogsRequest } from "./proto-logs-request.js";

/**
 * What the ingest tests need to know of each OTLP signal, so that `/v1/traces` and `/v1/logs`
 * are held to the same rules: a valid body, bodies malformed in the same ways, and the rows a
 * request may change.
 */
export interface OtlpSignal {
  name: "traces" | "logs";
  path: "/v1/traces" | "/v1/logs";
  /** A valid OTLP/JSON body that stores one item, told apart by `id` (16 hex characters). */
  json(id?: string): string;
  /** The same as OTLP/protobuf, with a nanosecond time that JSON numbers could not hold. */
  protobuf(id: string): Uint8Array;
  /** What a request of this signal may change, as rows to compare. */
  snapshotSql: string;
  /** The stored item of `json(id)`/`protobuf(id)`: its ID and nanosecond time. */
  itemSql: string;
  /** The request kind named in shape errors. */
  requestName: RegExp;
  /** Bodies malformed in each way both signals must refuse with 400, and what the answer names. */
  malformed: [what: string, body: string, message: RegExp][];
}

export const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
export const NANOS = 1763900000000000001n;

const span = (spanId: string) => ({
  traceId: TRACE_ID,
  spanId,
  name: "invoke_agent demo",
  startTimeUnixNano: "1763900000000000000",
  endTimeUnixNano: "1763900001000000000",
  attributes: [
    { key: "flightrec.span.kind", value: { stringValue: "run" } },
    { key: "flightrec.run.id", value: { stringValue: "run-1" } },
  ],
});
const traces = (item: object) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [item] }] }] });

const logRecord = (id: string) => ({
  timeUnixNano: "1763900000500000000",
  severityNumber: 9,
  severityText: "INFO",
  body: { stringValue: `line ${id}` },
  attributes: [{ key: "line.id", value: { stringValue: id } }],
  traceId: TRACE_ID,
  spanId: "b7ad6b7169203331",
});
const logs = (item: object) => JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [item] }] }] });

export const TRACES: OtlpSignal = {
  name: "traces",
  path: "/v1/traces",
  json: (id = "b7ad6b7169203331") => traces(span(id)),
  protobuf: (id) =>
    TraceServiceProto.ExportTraceServiceRequest.encode({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(TRACE_ID, "hex"),
                  spanId: Buffer.from(id, "hex"),
                  name: "ok span",
                  startTimeUnixNano: NANOS.toString(),
                  endTimeUnixNano: (NANOS + 1_000_000_000n).toString(),
                },
              ],
            },
          ],
        },
      ],
    }).finish(),
  snapshotSql: "SELECT span_id, status FROM spans ORDER BY span_id",
  itemSql: "SELECT span_id AS id, CAST(start_ns AS TEXT) AS ns FROM spans WHERE span_id = ?",
  requestName: /not an OTLP trace export request/,
  malformed: [
    ["invalid JSON", "{not json", /invalid JSON/],
    ["a body that is not an object", "[1,2,3]", /not an OTLP trace export request: body/],
    [
      "an item with a malformed trace ID",
      traces({ ...span("b7ad6b7169203331"), traceId: "xyz" }),
      /resourceSpans\.0\.scopeSpans\.0\.spans\.0\.traceId/,
    ],
    [
      "an item with a malformed span ID",
      traces({ ...span("b7ad6b7169203331"), spanId: "xyz" }),
      /spanId: expected 16 hex characters/,
    ],
    [
      "a timestamp that is not an integer",
      traces({ ...span("b7ad6b7169203331"), startTimeUnixNano: "yesterday" }),
      /startTimeUnixNano/,
    ],
  ],
};

export const LOGS: OtlpSignal = {
  name: "logs",
  path: "/v1/logs",
  json: (id = "b7ad6b7169203331") => logs(logRecord(id)),
  protobuf: (id) =>
    encodeProtoLogsRequest({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: NANOS.toString(),
                  severityNumber: 9,
                  body: { stringValue: `line ${id}` },
                  attributes: [{ key: "line.id", value: { stringValue: id } }],
                  traceId: Buffer.from(TRACE_ID, "hex"),
                  spanId: Buffer.from("b7ad6b7169203331", "hex"),
                },
              ],
            },
          ],
        },
      ],
    }),
  snapshotSql: "SELECT log_id, body FROM logs ORDER BY log_id",
  itemSql: `SELECT json_extract(attributes, '$."line.id"') AS id, CAST(ts_ns AS TEXT) AS ns FROM logs
            WHERE json_extract(attributes, '$."line.id"') = ?`,
  requestName: /not an OTLP logs export request/,
  malformed: [
    ["invalid JSON", "{not json", /invalid JSON/],
    ["a body that is not an object", "[1,2,3]", /not an OTLP logs export request: body/],
    [
      "an item with a malformed trace ID",
      logs({ ...logRecord("b7ad6b7169203331"), traceId: "xyz" }),
      /resourceLogs\.0\.scopeLogs\.0\.logRecords\.0\.traceId/,
    ],
    [
      "an item with a malformed span ID",
      logs({ ...logRecord("b7ad6b7169203331"), spanId: "xyz" }),
      /spanId: expected 16 hex characters/,
    ],
    [
      "a timestamp that is not an integer",
      logs({ ...logRecord("b7ad6b7169203331"), timeUnixNano: "yesterday" }),
      /timeUnixNano/,
    ],
  ],
};

export const SIGNALS: readonly OtlpSignal[] = [TRACES, LOGS];

/** POSTs `body` to the signal's route. */
export function postSignal(
  url: string,
  signal: OtlpSignal,
  body: string | Uint8Array,
  contentType = "application/json",
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}${signal.path}`, {
    method: "POST",
    headers: { "content-type": contentType, ...headers },
    body: body as RequestInit["body"],
  });
}
