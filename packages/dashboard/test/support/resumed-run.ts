import { randomBytes } from "node:crypto";
import { otlpRequest } from "./otlp";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const MIN = 60_000;

/**
 * A run killed in its second step and resumed `gapMin` minutes later, as the SDK sends it:
 * attempt 1's run and `send_email` step only as placeholders (it never ended them), attempt 2
 * whole. The collector's verdict then ends attempt 1 as interrupted, superseded by attempt 2.
 * Two requests, one per attempt: the second arrives after the first was stored.
 */
export function resumedRunRequests(runId: string, startMs: number, gapMin: number): [string, string] {
  const base = (attempt: number) => ({ "flightrec.run.id": runId, "flightrec.run.attempt": attempt });
  const step = (
    attempt: number,
    parent: string,
    name: string,
    index: number,
    at: number,
    ms: number | null,
  ) => ({
    spanId: hex(8),
    parentSpanId: parent,
    name,
    startMs: startMs + at,
    endMs: startMs + at + (ms ?? 0),
    attributes: {
      ...base(attempt),
      "flightrec.span.kind": "step",
      "flightrec.step.name": name,
      "flightrec.step.index": index,
      ...(ms === null ? { "flightrec.span.pending": true } : {}),
    },
  });
  const llm = (attempt: number, parent: string, at: number) => ({
    spanId: hex(8),
    parentSpanId: parent,
    name: "chat gpt-4o-mini",
    startMs: startMs + at,
    endMs: startMs + at + 40,
    attributes: {
      ...base(attempt),
      "flightrec.span.kind": "llm",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 120,
      "gen_ai.usage.output_tokens": 30,
    },
  });
  const root1 = hex(8);
  const analyze1 = step(1, root1, "analyze", 1, 10, 100);
  const first = [
    {
      spanId: root1,
      name: "analyze_sales_data",
      startMs,
      endMs: startMs,
      attributes: { ...base(1), "flightrec.span.kind": "run", "flightrec.span.pending": true },
    },
    analyze1,
    llm(1, analyze1.spanId, 20),
    step(1, root1, "send_email", 2, 120, null),
  ];
  const root2 = hex(8);
  const resumedAt = gapMin * MIN;
  const analyze2 = step(2, root2, "analyze", 1, resumedAt + 5, 100);
  const second = [
    {
      spanId: root2,
      name: "analyze_sales_data",
      startMs: startMs + resumedAt,
      endMs: startMs + resumedAt + 400,
      attributes: { ...base(2), "flightrec.span.kind": "run" },
    },
    analyze2,
    llm(2, analyze2.spanId, resumedAt + 15),
    step(2, root2, "send_email", 2, resumedAt + 120, 250),
  ];
  const traceId = hex(16);
  return [otlpRequest(traceId, first), otlpRequest(hex(16), second)];
}
