import { MalformedRequestError } from "../errors.js";
import { MAX_VALUE_NESTING, NESTING_CUT } from "./attributes.js";
import {
  type ProtoAnyValue,
  type ProtoExportTraceRequest,
  type ProtoKeyValue,
  type ProtoLong,
  type ProtoSpan,
  TraceServiceProto,
} from "./proto-root.js";
import type { OtlpAnyValue, OtlpExportTraceRequest, OtlpKeyValue, OtlpSpan } from "./types.js";

/** Parses an OTLP/protobuf ExportTraceServiceRequest into the same wire types as OTLP/JSON. */
export function decodeProtobufTraceRequest(body: Uint8Array): OtlpExportTraceRequest {
  let message: ProtoExportTraceRequest;
  try {
    message = TraceServiceProto.ExportTraceServiceRequest.decode(body);
  } catch (error) {
    throw new MalformedRequestError(`invalid protobuf: ${(error as Error).message}`);
  }
  return {
    resourceSpans: (message.resourceSpans ?? []).map((rs, r) => ({
      resource: { attributes: keyValues(rs.resource?.attributes) },
      scopeSpans: (rs.scopeSpans ?? []).map((ss, s) => ({
        scope: { name: ss.scope?.name ?? undefined, version: ss.scope?.version ?? undefined },
        spans: (ss.spans ?? []).map((span, i) =>
          toSpan(span, `resourceSpans.${r}.scopeSpans.${s}.spans.${i}`),
        ),
      })),
    })),
  };
}

function toSpan(span: ProtoSpan, path: string): OtlpSpan {
  return {
    traceId: id(span.traceId, 16, `${path}.traceId`),
    spanId: id(span.spanId, 8, `${path}.spanId`),
    parentSpanId: span.parentSpanId?.length ? id(span.parentSpanId, 8, `${path}.parentSpanId`) : undefined,
    name: span.name ?? "",
    kind: span.kind ?? undefined,
    // Zero, as OTLP/JSON senders write an unset time: normalize rejects this span alone.
    startTimeUnixNano: long(span.startTimeUnixNano) ?? 0n,
    endTimeUnixNano: long(span.endTimeUnixNano),
    attributes: keyValues(span.attributes),
    events: span.events?.map((e) => ({
      timeUnixNano: long(e.timeUnixNano),
      name: e.name ?? undefined,
      attributes: keyValues(e.attributes),
    })),
    status: span.status
      ? { code: span.status.code ?? undefined, message: span.status.message ?? undefined }
      : undefined,
  };
}

export function id(bytes: Uint8Array | null | undefined, length: number, path: string): string {
  if (!bytes || bytes.length !== length) {
    throw new MalformedRequestError(`${path}: expected ${length} bytes, got ${bytes?.length ?? 0}`);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex");
}

/** fixed64 nanoseconds stay exact: halves are joined as a BigInt. Zero means "not set". */
export function long(value: ProtoLong | null | undefined): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  const n =
    typeof value === "object" ? (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0) : BigInt(value);
  return n === 0n ? undefined : n;
}

function signedLong(value: ProtoLong): number | string {
  if (typeof value === "number") return value;
  const n =
    typeof value === "string"
      ? BigInt(value)
      : BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0));
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(n)
    : n.toString();
}

/** `nesting`: how many arrays and key/value lists enclose the values (see MAX_VALUE_NESTING). */
export function keyValues(list: ProtoKeyValue[] | undefined, nesting = 0): OtlpKeyValue[] | undefined {
  if (!list?.length) return undefined;
  return list.map((kv) => ({ key: kv.key, value: anyValue(kv.value, nesting) }));
}

export function anyValue(v: ProtoAnyValue | null | undefined, nesting: number): OtlpAnyValue | undefined {
  if (!v) return undefined;
  if ((v.arrayValue != null || v.kvlistValue != null) && nesting >= MAX_VALUE_NESTING) {
    return { stringValue: NESTING_CUT };
  }
  if (v.stringValue != null) return { stringValue: v.stringValue };
  if (v.boolValue != null) return { boolValue: v.boolValue };
  if (v.intValue != null) return { intValue: signedLong(v.intValue) };
  if (v.doubleValue != null) return { doubleValue: v.doubleValue };
  if (v.arrayValue != null) {
    return { arrayValue: { values: (v.arrayValue.values ?? []).map((x) => anyValue(x, nesting + 1) ?? {}) } };
  }
  if (v.kvlistValue != null) {
    return { kvlistValue: { values: keyValues(v.kvlistValue.values, nesting + 1) ?? [] } };
  }
  if (v.bytesValue != null) return { bytesValue: Buffer.from(v.bytesValue).toString("base64") };
  return {};
}
