import { createRequire } from "node:module";

/**
 * The protobufjs classes generated from the official opentelemetry-proto definitions, as the
 * OpenTelemetry JS project shipped them (`@opentelemetry/otlp-transformer` up to 0.52; later
 * versions only encode). Only this file knows where they come from.
 */
export interface ProtoMessageType<T> {
  decode(reader: Uint8Array): T;
  encode(message: object): { finish(): Uint8Array };
}

interface ProtoRoot {
  opentelemetry: {
    proto: {
      collector: {
        trace: {
          v1: {
            ExportTraceServiceRequest: ProtoMessageType<ProtoExportTraceRequest>;
            ExportTraceServiceResponse: ProtoMessageType<object>;
          };
        };
      };
    };
  };
}

/**
 * A 64-bit integer as protobufjs gives it: a number, a Long-like pair of 32-bit halves, or (from
 * `toObject` with `longs: String`) its decimal text.
 */
export type ProtoLong = number | string | { low: number; high: number };

export interface ProtoAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: ProtoLong | null;
  doubleValue?: number | null;
  arrayValue?: { values?: ProtoAnyValue[] } | null;
  kvlistValue?: { values?: ProtoKeyValue[] } | null;
  bytesValue?: Uint8Array | null;
}
export interface ProtoKeyValue {
  key: string;
  value?: ProtoAnyValue | null;
}
export interface ProtoSpan {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  parentSpanId?: Uint8Array | null;
  name?: string | null;
  kind?: number | null;
  startTimeUnixNano?: ProtoLong | null;
  endTimeUnixNano?: ProtoLong | null;
  attributes?: ProtoKeyValue[];
  events?: { timeUnixNano?: ProtoLong | null; name?: string | null; attributes?: ProtoKeyValue[] }[];
  links?: { traceId?: Uint8Array | null; spanId?: Uint8Array | null; attributes?: ProtoKeyValue[] }[];
  status?: { code?: number | null; message?: string | null } | null;
}
export interface ProtoExportTraceRequest {
  resourceSpans?: {
    resource?: { attributes?: ProtoKeyValue[] } | null;
    scopeSpans?: { scope?: { name?: string | null; version?: string | null } | null; spans?: ProtoSpan[] }[];
  }[];
}

const require = createRequire(import.meta.url);
const root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js") as ProtoRoot;

export const TraceServiceProto = root.opentelemetry.proto.collector.trace.v1;
