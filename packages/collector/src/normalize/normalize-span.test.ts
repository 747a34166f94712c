import { describe, expect, it } from "vitest";
import type { OtlpSpan } from "../otlp/types.js";
import { normalizeRequest } from "./normalize-request.js";

const str = (stringValue: string) => ({ stringValue });
const int = (intValue: number) => ({ intValue });

function normalizeOne(span: OtlpSpan) {
  const batch = normalizeRequest({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: str("svc") }] },
        scopeSpans: [{ spans: [span] }],
      },
    ],
  });
  expect(batch.rejected).toEqual([]);
  return batch.spans[0]!;
}

const base: OtlpSpan = {
  traceId: "0AF7651916CD43DD8448EB211C80319C",
  spanId: "B7AD6B7169203331",
  name: "send_email",
  startTimeUnixNano: "1763900000123456789",
  endTimeUnixNano: "1763900000223456789",
};

describe("normalizeSpan", () => {
  it("rejects a span whose run attempt or step index is not a plausible whole number, naming it", () => {
    const withAttr = (
      spanId: string,
      key: string,
      value: { intValue: number } | { doubleValue: number },
    ) => ({
      ...base,
      spanId,
      attributes: [{ key, value }],
    });
    const batch = normalizeRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                withAttr("B7AD6B7169203341", "flightrec.run.attempt", { doubleValue: 1e20 }),
                withAttr("B7AD6B7169203342", "flightrec.run.attempt", { intValue: 0 }),
                withAttr("B7AD6B7169203343", "flightrec.step.index", { doubleValue: 1.5 }),
                withAttr("B7AD6B7169203344", "flightrec.run.attempt", { intValue: 3 }),
              ],
            },
          ],
        },
      ],
    });
    expect(batch.rejected).toEqual([
      {
        spanId: "B7AD6B7169203341",
        reason: "flightrec.run.attempt must be a whole number from 1 to 1000000, got 100000000000000000000",
      },
      {
        spanId: "B7AD6B7169203342",
        reason: "flightrec.run.attempt must be a whole number from 1 to 1000000, got 0",
      },
      {
        spanId: "B7AD6B7169203343",
        reason: "flightrec.step.index must be a whole number from 0 to 1000000, got 1.5",
      },
    ]);
    expect(batch.spans.map((s) => s.attempt)).toEqual([3]);
  });

  it("rejects a span whose times do not fit the store's 64-bit signed integers, naming the field", () => {
    const batch = normalizeRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { ...base, startTimeUnixNano: "18446744073709551615" },
                { ...base, spanId: "B7AD6B7169203332", endTimeUnixNano: "9223372036854775808" },
                {
                  ...base,
                  spanId: "B7AD6B7169203333",
                  startTimeUnixNano: "9223372036854775807",
                  endTimeUnixNano: undefined,
                },
              ],
            },
          ],
        },
      ],
    });
    expect(batch.rejected).toEqual([
      {
        spanId: base.spanId,
        reason: "startTimeUnixNano 18446744073709551615 is after 2262-04-11, the latest time stored",
      },
      {
        spanId: "B7AD6B7169203332",
        reason: "endTimeUnixNano 9223372036854775808 is after 2262-04-11, the latest time stored",
      },
    ]);
    expect(batch.spans.map((s) => s.startNs)).toEqual([9_223_372_036_854_775_807n]);
  });

  it("rejects a span whose decision or exception time does not fit, as it would its own times", () => {
    const late = "9300000000000000000";
    const batch = normalizeRequest({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { ...base, events: [{ name: "flightrec.decision", timeUnixNano: late }] },
                {
                  ...base,
                  spanId: "B7AD6B7169203332",
                  status: { code: 2 },
                  events: [{ name: "exception", timeUnixNano: late }],
                },
                { ...base, spanId: "B7AD6B7169203333", events: [{ name: "other", timeUnixNano: late }] },
              ],
            },
          ],
        },
      ],
    });
    expect(batch.rejected).toEqual([
      {
        spanId: base.spanId,
        reason: `event timeUnixNano ${late} is after 2262-04-11, the latest time stored`,
      },
      {
        spanId: "B7AD6B7169203332",
        reason: `event timeUnixNano ${late} is after 2262-04-11, the latest time stored`,
      },
    ]);
    expect(batch.spans.map((s) => s.spanId)).toEqual(["b7ad6b7169203333"]);
  });

  it("reads a zero time as not set, as the protobuf decoder does, whichever way JSON writes it", () => {
    const record = normalizeOne({
      ...base,
      status: { code: 2 },
      endTimeUnixNano: "0",
      events: [
        { name: "flightrec.decision", timeUnixNano: 0 },
        { name: "exception", timeUnixNano: "0" },
      ],
    });
    expect(record.endNs).toBeNull();
    expect(record.decisions[0]?.tsNs).toBe(1763900000123456789n);
    expect(record.failure?.tsNs).toBe(1763900000123456789n);
  });

  it("maps a flightrec step span, keeping nanoseconds exact and IDs lower-case", () => {
    const record = normalizeOne({
      ...base,
      attributes: [
        { key: "flightrec.span.kind", value: str("step") },
        { key: "flightrec.run.id", value: str("task-123") },
        { key: "flightrec.run.attempt", value: int(2) },
        { key: "flightrec.step.index", value: int(5) },
        { key: "flightrec.step.output", value: str('{"sent":true}') },
      ],
    });
    expect(record).toMatchObject({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      kind: "step",
      runId: "task-123",
      attempt: 2,
      stepIndex: 5,
      status: "ok",
      service: "svc",
      output: '{"sent":true}',
      startNs: 1763900000123456789n,
      endNs: 1763900000223456789n,
      failure: null,
      decisions: [],
    });
  });

  it("reads the run's input as the input of the run span only; on a failed call it is context", () => {
    const runInput = { key: "flightrec.run.input", value: str('{"quarter":"Q4"}') };
    const tool = normalizeOne({
      ...base,
      status: { code: 2, message: "bad row" },
      attributes: [
        { key: "flightrec.span.kind", value: str("tool") },
        { key: "gen_ai.tool.call.arguments", value: str('{"row":17}') },
        { key: "flightrec.failure.input", value: str('{"row":17}') },
        runInput,
      ],
    });
    expect(tool.input).toBe('{"row":17}');
    expect(tool.failure).toMatchObject({ input: '{"row":17}', context: '{"quarter":"Q4"}' });
    const step = normalizeOne({
      ...base,
      status: { code: 2, message: "bad row" },
      attributes: [{ key: "flightrec.span.kind", value: str("step") }, runInput],
    });
    expect(step.input).toBeNull();
    expect(step.failure).toMatchObject({ input: null, context: '{"quarter":"Q4"}' });
    const root = normalizeOne({
      ...base,
      attributes: [{ key: "flightrec.span.kind", value: str("run") }, runInput],
    });
    expect(root.input).toBe('{"quarter":"Q4"}');
  });

  it("keeps the resource attributes on run spans only: the attempt's environment", () => {
    const [root, step] = normalizeRequest({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: "service.name", value: str("svc") },
              { key: "host.name", value: str("worker-7") },
              { key: "process.runtime.version", value: str("20.19.0") },
            ],
          },
          scopeSpans: [
            {
              spans: [
                { ...base, attributes: [{ key: "flightrec.span.kind", value: str("run") }] },
                {
                  ...base,
                  spanId: "B7AD6B7169203332",
                  attributes: [{ key: "flightrec.step.index", value: int(1) }],
                },
              ],
            },
          ],
        },
      ],
    }).spans;
    expect(JSON.parse(root!.resource!)).toEqual({
      "service.name": "svc",
      "host.name": "worker-7",
      "process.runtime.version": "20.19.0",
    });
    expect(step!.resource).toBeNull();
  });

  it("turns flightrec.decision events into decisions", () => {
    const record = normalizeOne({
      ...base,
      attributes: [{ key: "flightrec.step.index", value: int(4) }],
      events: [
        {
          name: "flightrec.decision",
          timeUnixNano: "1763900000200000000",
          attributes: [
            { key: "flightrec.decision.action", value: str("send_email") },
            { key: "flightrec.decision.reasoning", value: str("found anomaly in Q3 data") },
            { key: "gen_ai.usage.input_tokens", value: int(120) },
            { key: "flightrec.cost.usd", value: { doubleValue: 0.0042 } },
            { key: "flightrec.decision.details", value: str('{"amount":49}') },
          ],
        },
        { name: "unrelated" },
      ],
    });
    expect(record.decisions).toEqual([
      {
        step: 4,
        action: "send_email",
        reasoning: "found anomaly in Q3 data",
        inputTokens: 120,
        outputTokens: null,
        costUsd: 0.0042,
        details: '{"amount":49}',
        tsNs: 1763900000200000000n,
      },
    ]);
  });

  it("records a failure from the error status and the exception event", () => {
    const record = normalizeOne({
      ...base,
      status: { code: 2, message: "SMTP down" },
      attributes: [
        { key: "flightrec.failure.input", value: str('{"to":"cfo@example.com"}') },
        { key: "flightrec.run.input", value: str('{"quarter":"Q3"}') },
      ],
      events: [
        {
          name: "exception",
          timeUnixNano: "1763900000220000000",
          attributes: [
            { key: "exception.type", value: str("SmtpError") },
            { key: "exception.message", value: str("SMTP down") },
            { key: "exception.stacktrace", value: str("SmtpError: SMTP down\n    at send") },
          ],
        },
      ],
    });
    expect(record.status).toBe("error");
    expect(record.errorMessage).toBe("SMTP down");
    expect(record.failure).toEqual({
      step: null,
      errorType: "SmtpError",
      message: "SMTP down",
      stack: "SmtpError: SMTP down\n    at send",
      input: '{"to":"cfo@example.com"}',
      context: '{"quarter":"Q3"}',
      tsNs: 1763900000220000000n,
    });
  });

  it("takes a failed span's own input as the failure's input when none is given apart", () => {
    const failedTool = (attributes: { key: string; value: { stringValue: string } }[]) =>
      normalizeOne({ ...base, status: { code: 2, message: "no such city" }, attributes }).failure?.input;
    const args = '{"city":"Atlantis"}';
    expect(
      failedTool([
        { key: "openinference.span.kind", value: str("TOOL") },
        { key: "input.value", value: str(args) },
      ]),
    ).toBe(args);
    expect(
      failedTool([
        { key: "ai.operationId", value: str("ai.toolCall") },
        { key: "ai.toolCall.args", value: str(args) },
      ]),
    ).toBe(args);
    expect(
      failedTool([
        { key: "gen_ai.operation.name", value: str("execute_tool") },
        { key: "gen_ai.tool.call.arguments", value: str(args) },
      ]),
    ).toBe(args);
    // The run's input on a failed call is context, never the call's input.
    expect(failedTool([{ key: "flightrec.run.input", value: str('{"quarter":"Q3"}') }])).toBeNull();
  });

  it("marks a pending placeholder as running with no end", () => {
    const record = normalizeOne({
      ...base,
      attributes: [{ key: "flightrec.span.pending", value: { boolValue: true } }],
    });
    expect(record.status).toBe("running");
    expect(record.endNs).toBeNull();
  });
});
