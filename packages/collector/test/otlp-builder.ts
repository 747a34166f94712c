import { randomBytes } from "node:crypto";
import { TraceServiceProto } from "../src/otlp/proto-root.js";
import type { OtlpEvent, OtlpExportTraceRequest } from "../src/otlp/types.js";

type Value = string | number | boolean;

export interface SpanSpec {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  durationMs?: number;
  attributes?: Record<string, Value>;
  error?: string;
  events?: { name: string; atMs: number; attributes?: Record<string, Value> }[];
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

function attrs(record: Record<string, Value> = {}) {
  return Object.entries(record).map(([key, v]) => ({
    key,
    value:
      typeof v === "string"
        ? { stringValue: v }
        : typeof v === "boolean"
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: v }
            : { doubleValue: v },
  }));
}

const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

/** An OTLP/JSON export request body, as the JS exporter would write it. */
export function otlpJson(spans: SpanSpec[], service = "test-agent"): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: attrs({ "service.name": service }) },
        scopeSpans: [
          {
            scope: { name: "test" },
            spans: spans.map((s) => ({
              traceId: s.traceId ?? hex(16),
              spanId: s.spanId ?? hex(8),
              parentSpanId: s.parentSpanId,
              name: s.name,
              kind: 1,
              startTimeUnixNano: ns(s.startMs),
              endTimeUnixNano: ns(s.startMs + (s.durationMs ?? 10)),
              attributes: attrs(s.attributes),
              events: s.events?.map((e) => ({
                name: e.name,
                timeUnixNano: ns(e.atMs),
                attributes: attrs(e.attributes),
              })),
              status: s.error ? { code: 2, message: s.error } : { code: 0 },
            })),
          },
        ],
      },
    ],
  });
}

/** An OTLP/JSON request as the protobuf exporter would send it: IDs as bytes, times as fixed64. */
export function otlpProtobuf(request: OtlpExportTraceRequest): Uint8Array {
  const bytes = (id: string | undefined) => (id ? Buffer.from(id, "hex") : undefined);
  const time = (ns: OtlpEvent["timeUnixNano"]) => (ns === undefined ? undefined : String(ns));
  return TraceServiceProto.ExportTraceServiceRequest.encode({
    resourceSpans: request.resourceSpans?.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans?.map((ss) => ({
        ...ss,
        spans: ss.spans?.map((s) => ({
          ...s,
          traceId: bytes(s.traceId),
          spanId: bytes(s.spanId),
          parentSpanId: bytes(s.parentSpanId),
          startTimeUnixNano: time(s.startTimeUnixNano),
          endTimeUnixNano: time(s.endTimeUnixNano),
          events: s.events?.map((e) => ({ ...e, timeUnixNano: time(e.timeUnixNano) })),
          links: s.links?.map((l) => ({ ...l, traceId: bytes(l.traceId), spanId: bytes(l.spanId) })),
        })),
      })),
    })),
  }).finish();
}

export { hex };
