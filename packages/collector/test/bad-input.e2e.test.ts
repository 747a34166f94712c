import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";

const validSpan = {
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  name: "invoke_agent demo",
  startTimeUnixNano: "1763900000000000000",
  endTimeUnixNano: "1763900001000000000",
  attributes: [
    { key: "flightrec.span.kind", value: { stringValue: "run" } },
    { key: "flightrec.run.id", value: { stringValue: "run-1" } },
  ],
};
const validBody = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [validSpan] }] }] });

describe("POST /v1/traces with bad input", () => {
  let collector: TestCollector;
  const snapshot = () => ({
    runs: collector.query("SELECT * FROM runs ORDER BY run_id"),
    spans: collector.query("SELECT * FROM spans ORDER BY span_id"),
  });

  beforeAll(async () => {
    collector = await startTestCollector();
    const ok = await postTraces(collector.server.url, validBody);
    expect(ok.status).toBe(200);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it.each([
    ["invalid JSON", "{not json", /invalid JSON/],
    ["a body that is not an object", "[1,2,3]", /not an OTLP trace export request/],
    [
      "a span without a trace ID",
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ ...validSpan, traceId: undefined }] }] }],
      }),
      /resourceSpans\.0\.scopeSpans\.0\.spans\.0\.traceId/,
    ],
    [
      "a malformed span ID",
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...validSpan, spanId: "xyz" }] }] }] }),
      /spanId: expected 16 hex characters/,
    ],
    [
      "a timestamp that is not an integer",
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ ...validSpan, startTimeUnixNano: "yesterday" }] }] }],
      }),
      /startTimeUnixNano/,
    ],
  ])("answers 400 naming the problem for %s, and changes nothing", async (_what, body, message) => {
    const before = snapshot();
    const response = await postTraces(collector.server.url, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(snapshot()).toEqual(before);
  });

  it("answers 415 for an unknown content type", async () => {
    const response = await postTraces(collector.server.url, validBody, "text/plain");
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: string }).error).toMatch(/text\/plain/);
  });

  it("stays up and keeps the stored data after bad requests", async () => {
    const health = await fetch(`${collector.server.url}/health`);
    expect(health.status).toBe(200);
    expect(collector.query("SELECT run_id, status FROM runs")).toEqual([{ run_id: "run-1", status: "ok" }]);
  });

  it("stores a retried batch only once", async () => {
    await postTraces(collector.server.url, validBody);
    await postTraces(collector.server.url, validBody);
    expect(collector.query("SELECT count(*) AS n FROM spans")).toEqual([{ n: 1 }]);
  });
});
