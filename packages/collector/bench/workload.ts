import { randomBytes } from "node:crypto";
import type { OtlpExportTraceRequest, OtlpKeyValue, OtlpSpan } from "../src/otlp/types.js";

const str = (key: string, stringValue: string): OtlpKeyValue => ({ key, value: { stringValue } });
const int = (key: string, intValue: number): OtlpKeyValue => ({ key, value: { intValue } });
const dbl = (key: string, doubleValue: number): OtlpKeyValue => ({ key, value: { doubleValue } });

/**
 * Spans shaped like the SDK's: runs of one root, steps, and an LLM call in each step. Each seed
 * is a later stretch of time (a million seconds on), as a collector receiving live traffic sees
 * it: spans of a new workload start after the ones already stored, not among them.
 */
export function* agentSpans(runs: number, stepsPerRun: number, seed = 0): Generator<OtlpSpan> {
  const t0 = 1_763_900_000_000_000_000n + BigInt(seed) * 1_000_000n * 1_000_000_000n;
  for (let r = 0; r < runs; r++) {
    const traceId = randomBytes(16).toString("hex");
    const rootId = randomBytes(8).toString("hex");
    const runId = `task-${seed}-${r}`;
    const base = [
      str("flightrec.run.id", runId),
      int("flightrec.run.attempt", 1),
      str("flightrec.request.id", `req-${seed}-${r}`),
    ];
    const start = t0 + BigInt(r) * 1_000_000_000n;
    for (let s = 1; s <= stepsPerRun; s++) {
      const stepId = randomBytes(8).toString("hex");
      const stepStart = start + BigInt(s) * 10_000_000n;
      yield {
        traceId,
        spanId: randomBytes(8).toString("hex"),
        parentSpanId: stepId,
        name: "chat gpt-4o",
        kind: 3,
        startTimeUnixNano: (stepStart + 1_000_000n).toString(),
        endTimeUnixNano: (stepStart + 8_000_000n).toString(),
        attributes: [
          ...base,
          str("gen_ai.operation.name", "chat"),
          str("gen_ai.provider.name", "openai"),
          str("gen_ai.request.model", "gpt-4o"),
          int("gen_ai.usage.input_tokens", 1200),
          int("gen_ai.usage.output_tokens", 180),
          dbl("flightrec.cost.usd", 0.0048),
          str(
            "gen_ai.input.messages",
            '[{"role":"user","parts":[{"type":"text","content":"Summarize Q3 sales"}]}]',
          ),
        ],
        status: { code: 0 },
      };
      yield {
        traceId,
        spanId: stepId,
        parentSpanId: rootId,
        name: `step_${s}`,
        kind: 1,
        startTimeUnixNano: stepStart.toString(),
        endTimeUnixNano: (stepStart + 9_000_000n).toString(),
        attributes: [
          ...base,
          str("flightrec.span.kind", "step"),
          int("flightrec.step.index", s),
          str("flightrec.step.name", `step_${s}`),
          str("flightrec.step.output", '{"rows":42,"ok":true}'),
        ],
        status: { code: 0 },
      };
    }
    yield {
      traceId,
      spanId: rootId,
      name: "invoke_agent analyze_sales_data",
      kind: 1,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + BigInt(stepsPerRun + 1) * 10_000_000n).toString(),
      attributes: [
        ...base,
        str("flightrec.span.kind", "run"),
        str("gen_ai.operation.name", "invoke_agent"),
        str("gen_ai.agent.name", "analyze_sales_data"),
      ],
      status: { code: r % 10 === 0 ? 2 : 0, message: r % 10 === 0 ? "SMTP down" : undefined },
    };
  }
}

/** Export requests of `batchSize` spans, as a BatchSpanProcessor would send them. */
export function batches(spans: Iterable<OtlpSpan>, batchSize: number): OtlpExportTraceRequest[] {
  const out: OtlpExportTraceRequest[] = [];
  let current: OtlpSpan[] = [];
  const flush = () => {
    out.push({
      resourceSpans: [
        {
          resource: { attributes: [str("service.name", "bench-agent")] },
          scopeSpans: [{ scope: { name: "@flightrec/sdk" }, spans: current }],
        },
      ],
    });
    current = [];
  };
  for (const span of spans) {
    current.push(span);
    if (current.length === batchSize) flush();
  }
  if (current.length) flush();
  return out;
}

/** Placeholders as wide as what replaces them: 8 hex digits of the body's number, 7 decimal digits of its time. */
const HEX_MARK = "########";
const TIME_MARK = "@@@@@@@";

/**
 * Bodies of fresh runs, cheap to make: one OTLP/JSON template of `runsPerBody` runs whose IDs and
 * times carry fixed-width placeholders, copied and patched in place per body (a fraction of a
 * millisecond for 512 spans, where building and stringifying them costs ten), so the load
 * generator stays light on the cores it shares with the collector. Body `seq` has its own IDs and
 * its own 1,000 s of time, after body `seq − 1`'s, as live traffic has.
 */
export function freshRunBodies(runsPerBody: number, stepsPerRun: number): (seq: number) => Buffer {
  const t0 = 1_763_900_000_000_000_000n;
  const template = Buffer.from(
    JSON.stringify(batches(agentSpans(runsPerBody, stepsPerRun), Number.MAX_SAFE_INTEGER)[0])
      .replace(/"(traceId|spanId|parentSpanId)":"[0-9a-f]{8}([0-9a-f]+)"/g, `"$1":"${HEX_MARK}$2"`)
      .replace(/"(task|req)-0-/g, `"$1-${HEX_MARK}-`)
      .replace(/"(start|end)TimeUnixNano":"(\d+)"/g, (_match, which: string, ns: string) => {
        const offset = BigInt(ns) - t0;
        if (offset >= 1_000_000_000_000n)
          throw new Error("freshRunBodies: a body's runs must fit in 1,000 s");
        return `"${which}TimeUnixNano":"${TIME_MARK}${offset.toString().padStart(12, "0")}"`;
      }),
  );
  const hexAt = offsetsOf(template, HEX_MARK);
  const timeAt = offsetsOf(template, TIME_MARK);
  return (seq) => {
    const body = Buffer.from(template);
    patch(body, hexAt, Buffer.from(seq.toString(16).padStart(8, "0")));
    patch(body, timeAt, Buffer.from(String(1_763_900 + seq)));
    return body;
  };
}

/** Byte by byte in JavaScript: thousands of tiny Buffer.write calls cost more than the copy. */
function patch(body: Buffer, offsets: readonly number[], bytes: Buffer): void {
  for (const at of offsets) for (let i = 0; i < bytes.length; i++) body[at + i] = bytes[i]!;
}

function offsetsOf(buffer: Buffer, mark: string): number[] {
  const offsets: number[] = [];
  for (let at = buffer.indexOf(mark); at !== -1; at = buffer.indexOf(mark, at + mark.length))
    offsets.push(at);
  return offsets;
}
