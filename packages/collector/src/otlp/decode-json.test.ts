import { describe, expect, it } from "vitest";
import { normalizeRequest } from "../normalize/normalize-request.js";
import { decodeJsonTraceRequest } from "./decode-json.js";

const span = (times: string) =>
  `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",` +
  `"spanId":"eee19b7ec3c1b174","name":"GET /","kind":2,${times}}]}]}]}`;

describe("decodeJsonTraceRequest", () => {
  it("reads a body that starts with a UTF-8 byte order mark", () => {
    const body = JSON.stringify({ resourceSpans: [] });
    expect(decodeJsonTraceRequest(`\uFEFF${body}`)).toEqual({ resourceSpans: [] });
  });

  it("accepts int64 times sent as JSON numbers, as the proto3 JSON mapping allows", () => {
    // Nanosecond times are above 2^53, so as numbers they arrive rounded (here by 212 ns).
    const body = span(
      '"startTimeUnixNano":1763900000123456789,"endTimeUnixNano":1763900001000000000,' +
        '"events":[{"name":"flightrec.decision","timeUnixNano":1763900000500000000}]',
    );
    const [record] = normalizeRequest(decodeJsonTraceRequest(body)).spans;
    expect(record?.startNs).toBe(1763900000123456768n);
    expect(record?.endNs).toBe(1763900001000000000n);
    expect(record?.decisions[0]?.tsNs).toBe(1763900000500000000n);
  });

  it.each([
    ["a fraction", "1763900000.5"],
    ["a negative number", "-1"],
    ["a negative string", '"-1"'],
  ])("refuses a time that is %s", (_what, value) => {
    expect(() => decodeJsonTraceRequest(span(`"startTimeUnixNano":${value}`))).toThrow(
      /startTimeUnixNano: expected an unsigned integer/,
    );
  });
});
