import fc from "fast-check";
import type { OtlpAnyValue, OtlpExportTraceRequest, OtlpKeyValue } from "../../src/otlp/types.js";

/**
 * Valid OTLP trace export requests, random: spans with the attributes the collector reads (of
 * their own kind of value and of others), any other attributes, events, odd strings and times,
 * and IDs now and then reused so spans are sent again with other content.
 */
/** Times around a fixed instant, not the clock, so a seed always builds the same requests. */
const AROUND_NS = 1_765_000_000_000_000_000n;

// ---- valid requests -------------------------------------------------------------------------

const hexId = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("hex"));
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom("", "\u0000", "\ud800", '{"a":', "<script>", "=1+1", "null"),
);
const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  text,
);
const timeNs = fc
  .oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: AROUND_NS - 10n ** 12n, max: AROUND_NS + 10n ** 12n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n) },
  )
  .map(String);
/** IDs drawn now and then from a few fixed ones, so spans are sent again with other content. */
const reusedId = (bytes: number, ids: string[]) =>
  fc.oneof({ weight: 3, arbitrary: hexId(bytes) }, { weight: 1, arbitrary: fc.constantFrom(...ids) });
const traceId = reusedId(16, ["5f".repeat(16), "0123456789abcdef".repeat(2), "a0".repeat(16)]);
const spanId = reusedId(8, ["1f".repeat(8), "00000000000000aa", "10000000000000aa"]);
const int64 = fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String));

const { value: anyValue, kv: anyKeyValue } = fc.letrec<{ value: OtlpAnyValue; kv: OtlpKeyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text.map((stringValue) => ({ stringValue })),
    int64.map((intValue) => ({ intValue })),
    fc.double().map((doubleValue) => ({ doubleValue })),
    fc.boolean().map((boolValue) => ({ boolValue })),
    fc.uint8Array({ maxLength: 12 }).map((b) => ({ bytesValue: Buffer.from(b).toString("base64") })),
    fc.array(tie("value"), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc.array(tie("kv"), { maxLength: 3 }).map((values) => ({ kvlistValue: { values } })),
  ) as fc.Arbitrary<OtlpAnyValue>,
  kv: fc.record({ key: text, value: tie("value") }) as fc.Arbitrary<OtlpKeyValue>,
}));

const str = (arb: fc.Arbitrary<string>) => arb.map((stringValue) => ({ stringValue }));
const num = (arb: fc.Arbitrary<number | string>) => arb.map((intValue) => ({ intValue }));
/** The attributes the collector reads, with values of their own kind and of others. */
const KNOWN: [string, fc.Arbitrary<OtlpAnyValue>][] = [
  ["flightrec.run.id", str(text.map((t) => `fuzz-${t}`))],
  ["flightrec.span.kind", str(fc.constantFrom("run", "step", "llm", "tool", "other", "nonsense"))],
  ["flightrec.run.attempt", num(int64)],
  ["flightrec.step.index", num(int64)],
  ["flightrec.step.name", str(text)],
  ["flightrec.step.input", str(jsonText)],
  ["flightrec.step.output", str(jsonText)],
  ["flightrec.run.input", str(jsonText)],
  ["flightrec.span.pending", fc.boolean().map((boolValue) => ({ boolValue }))],
  ["flightrec.cost.usd", fc.double().map((doubleValue) => ({ doubleValue }))],
  ["flightrec.heartbeat.interval_ms", num(int64)],
  ["flightrec.run.interrupted", str(text)],
  ["gen_ai.operation.name", str(fc.constantFrom("chat", "execute_tool", "invoke_agent", "embeddings"))],
  ["gen_ai.request.model", str(text)],
  ["gen_ai.usage.input_tokens", num(int64)],
  ["gen_ai.usage.output_tokens", num(int64)],
  ["gen_ai.input.messages", str(jsonText)],
  ["gen_ai.output.messages", str(jsonText)],
  ["gen_ai.tool.name", str(text)],
  ["gen_ai.tool.call.arguments", str(jsonText)],
  ["flightrec.decision.action", str(text)],
  ["flightrec.decision.reasoning", str(text)],
  ["flightrec.decision.details", str(jsonText)],
  ["exception.type", str(text)],
  ["exception.message", str(text)],
  ["exception.stacktrace", str(text)],
];
const attribute = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.oneof(...KNOWN.map(([key, value]) => fc.record({ key: fc.constant(key), value }))),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      anyKeyValue,
      fc.record({ key: fc.constantFrom(...KNOWN.map(([k]) => k)), value: anyValue }),
    ),
  },
);
const attributes = fc.array(attribute, { maxLength: 8 });

const event = fc.record(
  {
    name: fc.oneof(fc.constantFrom("flightrec.decision", "exception", "gen_ai.choice"), text),
    timeUnixNano: timeNs,
    attributes,
  },
  { requiredKeys: ["name"] },
);

const span = fc.record(
  {
    traceId,
    spanId,
    parentSpanId: spanId,
    name: text,
    kind: fc.integer({ min: 0, max: 5 }),
    startTimeUnixNano: timeNs,
    endTimeUnixNano: timeNs,
    attributes,
    events: fc.array(event, { maxLength: 3 }),
    status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: text }, { requiredKeys: [] }),
  },
  { requiredKeys: ["traceId", "spanId", "name", "startTimeUnixNano"] },
);

export const validRequest: fc.Arbitrary<OtlpExportTraceRequest> = fc
  .array(
    fc.record({
      resource: fc.record({ attributes }),
      scopeSpans: fc.array(
        fc.record({ scope: fc.record({ name: text }), spans: fc.array(span, { maxLength: 6 }) }),
        {
          maxLength: 2,
        },
      ),
    }),
    { maxLength: 2 },
  )
  .map((resourceSpans) => ({ resourceSpans }));
