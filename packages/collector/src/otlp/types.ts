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

export interface OtlpEvent {
  timeUnixNano?: string | number;
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
  startTimeUnixNano: string | number;
  endTimeUnixNano?: string | number;
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
