import { randomBytes } from "node:crypto";

type Attr = string | number | boolean;

interface SpanSpec {
  spanId?: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  endMs?: number;
  attributes: Record<string, Attr>;
  /** OTLP status; ok (unset) when absent. */
  status?: { code: number; message?: string };
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const ns = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

function toOtlpValue(v: Attr) {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

/** An OTLP/JSON export request, as an exporter would send it. */
export function otlpRequest(traceId: string, spans: SpanSpec[], service = "support-bot"): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: "flightrec-dashboard-test" },
            spans: spans.map((s) => ({
              traceId,
              spanId: s.spanId ?? hex(8),
              parentSpanId: s.parentSpanId,
              name: s.name,
              kind: 1,
              startTimeUnixNano: ns(s.startMs),
              endTimeUnixNano: ns(s.endMs ?? s.startMs),
              attributes: Object.entries(s.attributes).map(([key, value]) => ({
                key,
                value: toOtlpValue(value),
              })),
              status: s.status ?? { code: 0 },
            })),
          },
        ],
      },
    ],
  });
}

export async function postOtlp(url: string, body: string): Promise<void> {
  const res = await fetch(`${url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  if (!res.ok) throw new Error(`POST /v1/traces: ${res.status} ${await res.text()}`);
}

/**
 * A run killed inside step 5 (`send_email`): its root and that step exist only as the
 * pending placeholders the SDK exports at start; four steps finished before.
 */
export function interruptedRun(runId: string, startMs: number): string {
  const traceId = hex(16);
  const rootId = hex(8);
  const base = {
    "flightrec.run.id": runId,
    "flightrec.request.id": `req-${runId}`,
    "flightrec.run.attempt": 1,
  };
  const names = ["load_data", "analyze", "draft", "review", "send_email"];
  const spans: SpanSpec[] = [
    {
      spanId: rootId,
      name: "invoke_agent analyze_sales_data",
      startMs,
      attributes: {
        ...base,
        "flightrec.span.kind": "run",
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": "analyze_sales_data",
        "flightrec.span.pending": true,
      },
    },
    ...names.map((name, i) => ({
      parentSpanId: rootId,
      name,
      startMs: startMs + 100 * (i + 1),
      endMs: i < 4 ? startMs + 100 * (i + 1) + 80 : undefined,
      attributes: {
        ...base,
        "flightrec.span.kind": "step",
        "flightrec.step.name": name,
        "flightrec.step.index": i + 1,
        ...(i < 4
          ? { "flightrec.step.output": JSON.stringify({ done: name }) }
          : { "flightrec.span.pending": true }),
      },
    })),
  ];
  return otlpRequest(traceId, spans);
}

/**
 * A run its deadline stopped before step 5 (`send_email`), as the SDK sends it: four finished
 * steps and a failed run span that says why and before which step it stopped.
 */
export function deadlineRun(runId: string, startMs: number): string {
  const rootId = hex(8);
  const base = { "flightrec.run.id": runId, "flightrec.run.attempt": 1 };
  const names = ["load_data", "analyze", "draft", "write_summary"];
  const steps: SpanSpec[] = names.map((name, i) => ({
    parentSpanId: rootId,
    name,
    startMs: startMs + 100 * (i + 1),
    endMs: startMs + 100 * (i + 1) + 80,
    attributes: {
      ...base,
      "flightrec.span.kind": "step",
      "flightrec.step.name": name,
      "flightrec.step.index": i + 1,
      "flightrec.step.output": JSON.stringify({ done: name }),
    },
  }));
  const root: SpanSpec = {
    spanId: rootId,
    name: "invoke_agent analyze_sales_data",
    startMs,
    endMs: startMs + 500,
    status: { code: 2, message: `flightrec: run "${runId}" stopped before step 5 "send_email"` },
    attributes: {
      ...base,
      "flightrec.span.kind": "run",
      "gen_ai.agent.name": "analyze_sales_data",
      "flightrec.run.interrupted": "deadline",
      "flightrec.run.next_step.index": 5,
      "flightrec.run.next_step.name": "send_email",
    },
  };
  return otlpRequest(hex(16), [root, ...steps]);
}
