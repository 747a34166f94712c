import { randomBytes } from "node:crypto";

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

export { hex };
