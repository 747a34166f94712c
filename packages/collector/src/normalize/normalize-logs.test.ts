import { describe, expect, it } from "vitest";
import { encodeProtoLogsRequest } from "../../test/proto-logs-request.js";
import { decodeLogsRequest } from "../otlp/decode.js";
import { normalizeLogsRequest } from "./normalize-logs.js";

const TRACE = "5b8efff798038103d269b633813fc60c";
const SPAN = "eee19b7ec3c1b174";

const jsonBody = (records: object[], resource: object[] = []) =>
  Buffer.from(
    JSON.stringify({
      resourceLogs: [
        { resource: { attributes: resource }, scopeLogs: [{ scope: { name: "app" }, logRecords: records }] },
      ],
    }),
  );
const record = (overrides: object = {}) => ({
  timeUnixNano: "1763900000123456789",
  severityNumber: 13,
  severityText: "WARN",
  body: { stringValue: "disk almost full" },
  attributes: [{ key: "disk", value: { stringValue: "/dev/sda" } }],
  traceId: TRACE,
  spanId: SPAN,
  ...overrides,
});

describe("normalizeLogsRequest", () => {
  it("maps a log line of a span: time, severity, body, attributes, scope, service", () => {
    const service = [{ key: "service.name", value: { stringValue: "agent" } }];
    const { logs, rejected } = normalizeLogsRequest(decodeLogsRequest(jsonBody([record()], service), "json"));
    expect(rejected).toEqual([]);
    expect(logs).toEqual([
      {
        logId: expect.stringMatching(/^[0-9a-f]{32}$/),
        traceId: TRACE,
        spanId: SPAN,
        requestId: null,
        service: "agent",
        tsNs: 1763900000123456789n,
        severityNumber: 13,
        severityText: "WARN",
        eventName: null,
        body: '"disk almost full"',
        attributes: '{"disk":"/dev/sda"}',
        scope: "app",
        conversation: null,
      },
    ]);
  });

  it("gives equal records the same key and different ones different keys", () => {
    const decode = (records: object[]) =>
      normalizeLogsRequest(decodeLogsRequest(jsonBody(records), "json")).logs.map((l) => l.logId);
    const [a, b, c] = decode([record(), record(), record({ body: { stringValue: "disk full" } })]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("keeps a record of no span, with the request ID it names, and takes the observed time when it has no time", () => {
    const noSpan = record({
      traceId: "",
      spanId: "",
      timeUnixNano: undefined,
      observedTimeUnixNano: "1763900000000000007",
      attributes: [{ key: "flightrec.request.id", value: { stringValue: "req-9" } }],
    });
    const [log] = normalizeLogsRequest(decodeLogsRequest(jsonBody([noSpan]), "json")).logs;
    expect(log).toMatchObject({
      traceId: null,
      spanId: null,
      requestId: "req-9",
      tsNs: 1763900000000000007n,
    });
  });

  it("rejects a record with no time alone, naming where it was", () => {
    const batch = normalizeLogsRequest(
      decodeLogsRequest(jsonBody([record({ timeUnixNano: undefined }), record()]), "json"),
    );
    expect(batch.logs).toHaveLength(1);
    expect(batch.rejected).toEqual([
      { at: "resourceLogs.0.scopeLogs.0.logRecords.0", reason: expect.stringMatching(/timeUnixNano/) },
    ]);
  });

  it("reads the event name from the record or, from older senders, the event.name attribute", () => {
    const choice = { kvlistValue: { values: [{ key: "finish_reason", value: { stringValue: "stop" } }] } };
    const batch = normalizeLogsRequest(
      decodeLogsRequest(
        jsonBody([
          record({
            eventName: "gen_ai.user.message",
            body: { kvlistValue: { values: [{ key: "content", value: { stringValue: "hi" } }] } },
          }),
          record({
            attributes: [{ key: "event.name", value: { stringValue: "gen_ai.choice" } }],
            body: choice,
          }),
        ]),
        "json",
      ),
    );
    expect(batch.logs.map((l) => [l.eventName, l.conversation])).toEqual([
      ["gen_ai.user.message", { part: "input", message: '{"role":"user","content":"hi"}' }],
      [
        "gen_ai.choice",
        { part: "output", message: '{"role":"assistant","parts":[],"finish_reason":"stop"}' },
      ],
    ]);
  });

  it("refuses an OTLP/protobuf record whose trace ID is not 16 bytes, naming where it is", () => {
    const body = encodeProtoLogsRequest({
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{ timeUnixNano: "1", traceId: Buffer.from("abcdef", "hex") }] }] },
      ],
    });
    expect(() => decodeLogsRequest(Buffer.from(body), "protobuf")).toThrow(
      /resourceLogs\.0\.scopeLogs\.0\.logRecords\.0\.traceId: expected 16 bytes, got 3/,
    );
  });

  it("decodes OTLP/protobuf with the event name (field 12) and exact nanoseconds", () => {
    const body = encodeProtoLogsRequest({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: "1763900000123456789",
                  severityNumber: 9,
                  eventName: "gen_ai.system.message",
                  body: { kvlistValue: { values: [{ key: "content", value: { stringValue: "be brief" } }] } },
                  attributes: [{ key: "n", value: { intValue: "-9007199254740993" } }],
                  traceId: Buffer.from(TRACE, "hex"),
                  spanId: Buffer.from(SPAN, "hex"),
                },
              ],
            },
          ],
        },
      ],
    });
    const [log] = normalizeLogsRequest(decodeLogsRequest(Buffer.from(body), "protobuf")).logs;
    expect(log).toMatchObject({
      traceId: TRACE,
      spanId: SPAN,
      tsNs: 1763900000123456789n,
      severityNumber: 9,
      eventName: "gen_ai.system.message",
      body: '{"content":"be brief"}',
      attributes: '{"n":"-9007199254740993"}',
      conversation: { part: "input", message: '{"role":"system","content":"be brief"}' },
    });
  });
});
