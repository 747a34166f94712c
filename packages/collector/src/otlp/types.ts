/**
 * OTLP trace wire types, as both OTLP/JSON and the protobuf decoder produce them after
 * decoding. They never leave the decode stage's neighbours: normalize turns them into
 * domain records.
 */

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/** int64 as OTLP/JSON sends it (decimal string or number) or as the protobuf decoder yields it. */
export type OtlpInt64 = string | number | bigint;

export interface OtlpEvent {
  timeUnixNano?: OtlpInt64;
  name?: string;
  attributes?: OtlpKeyValue[];
}

export interface OtlpLink {
  traceId?: string;
  spanId?: string;
  attributes?: OtlpKeyValue[];
}

export interface OtlpStatus {
  code?: number;
  message?: string;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: OtlpInt64;
  endTimeUnixNano?: OtlpInt64;
  attributes?: OtlpKeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status?: OtlpStatus;
}

export interface OtlpScopeSpans {
  scope?: { name?: string; version?: string };
  spans?: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
}

export interface OtlpExportTraceRequest {
  resourceSpans?: OtlpResourceSpans[];
}

/** OTLP status codes (opentelemetry.proto.trace.v1.Status.StatusCode). */
export const OTLP_STATUS_ERROR = 2;

/** One OTLP log record (opentelemetry.proto.logs.v1.LogRecord); IDs hex, empty or absent when unset. */
export interface OtlpLogRecord {
  timeUnixNano?: OtlpInt64;
  observedTimeUnixNano?: OtlpInt64;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
  /** The event's name (OTLP 1.5+); older senders put it in the `event.name` attribute. */
  eventName?: string;
}

export interface OtlpScopeLogs {
  scope?: { name?: string; version?: string };
  logRecords?: OtlpLogRecord[];
}

export interface OtlpResourceLogs {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeLogs?: OtlpScopeLogs[];
}

export interface OtlpExportLogsRequest {
  resourceLogs?: OtlpResourceLogs[];
}
