import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TraceServiceProto } from "../src/otlp/proto-root.js";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";

const TOKEN = "s3cret-token";
const span = (spanId: string) => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId,
  name: "invoke_agent demo",
  startTimeUnixNano: "1763900000000000000",
  endTimeUnixNano: "1763900001000000000",
  attributes: [
    { key: "flightrec.span.kind", value: { stringValue: "run" } },
    { key: "flightrec.run.id", value: { stringValue: "run-1" } },
  ],
});
const body = (spanId = "b7ad6b7169203331") =>
  JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span(spanId)] }] }] });
const auth = { authorization: `Bearer ${TOKEN}` };

describe("ingest limits, encodings and auth", () => {
  let collector: TestCollector;
  const snapshot = () => collector.query("SELECT span_id, status FROM spans ORDER BY span_id");

  beforeAll(async () => {
    collector = await startTestCollector({ token: TOKEN, maxBodyBytes: 64 * 1024 });
    expect((await postTraces(collector.server.url, body(), "application/json", auth)).status).toBe(200);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("answers 401 without the token and with a wrong one, on ingest and API", async () => {
    const before = snapshot();
    expect((await postTraces(collector.server.url, body("1111111111111111"))).status).toBe(401);
    const wrong = await postTraces(collector.server.url, body("1111111111111111"), "application/json", {
      authorization: "Bearer nope",
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe("wrong token");
    expect((await fetch(`${collector.server.url}/api/runs`)).status).toBe(401);
    expect((await fetch(`${collector.server.url}/api/runs`, { headers: auth })).status).toBe(200);
    expect(snapshot()).toEqual(before);
  });

  it("lets the live stream carry the token in the query, as EventSource cannot set headers", async () => {
    expect((await fetch(`${collector.server.url}/api/events`)).status).toBe(401);
    expect((await fetch(`${collector.server.url}/api/runs?token=${TOKEN}`)).status).toBe(401);
    const controller = new AbortController();
    const stream = await fetch(`${collector.server.url}/api/events?token=${TOKEN}`, {
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    controller.abort();
  });

  it("accepts gzip bodies", async () => {
    const response = await postTraces(
      collector.server.url,
      gzipSync(body("2222222222222222")),
      "application/json",
      {
        ...auth,
        "content-encoding": "gzip",
      },
    );
    expect(response.status).toBe(200);
    expect(snapshot().map((r) => r.span_id)).toContain("2222222222222222");
  });

  it.each([
    ["a body over the limit", "x".repeat(100 * 1024), {}, 413, /larger than the limit/],
    [
      "a gzip bomb (small on the wire, huge inflated)",
      gzipSync(Buffer.alloc(50 * 1024 * 1024)),
      { "content-encoding": "gzip" },
      413,
      /after decompression/,
    ],
    [
      "a body that claims gzip but is not",
      "not gzip at all",
      { "content-encoding": "gzip" },
      400,
      /invalid gzip/,
    ],
    [
      "an unknown content encoding",
      body("3333333333333333"),
      { "content-encoding": "br" },
      415,
      /content encoding "br"/,
    ],
  ] as const)("refuses %s and changes nothing", async (_what, payload, headers, status, message) => {
    const before = snapshot();
    const response = await postTraces(collector.server.url, payload, "application/json", {
      ...auth,
      ...headers,
    });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(snapshot()).toEqual(before);
  });

  it("answers protobuf errors as a protobuf Status", async () => {
    const before = snapshot();
    const response = await postTraces(
      collector.server.url,
      new Uint8Array([0x0a, 0xff, 0xff, 0x01]),
      "application/x-protobuf",
      auth,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-protobuf");
    const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
    expect(text).toMatch(/invalid protobuf/);
    expect(snapshot()).toEqual(before);
  });

  it("answers protobuf requests in protobuf, keeping nanoseconds exact", async () => {
    const request = TraceServiceProto.ExportTraceServiceRequest.encode({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from("0af7651916cd43dd8448eb211c80319c", "hex"),
                  spanId: Buffer.from("4444444444444444", "hex"),
                  name: "ok span",
                  startTimeUnixNano: 1763900000000000000n.toString(),
                  endTimeUnixNano: 1763900001000000000n.toString(),
                },
              ],
            },
          ],
        },
      ],
    }).finish();
    const response = await postTraces(collector.server.url, request, "application/x-protobuf", auth);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-protobuf");
    expect(
      collector.query(
        "SELECT name, CAST(start_ns AS TEXT) AS ns FROM spans WHERE span_id = '4444444444444444'",
      ),
    ).toEqual([{ name: "ok span", ns: "1763900000000000000" }]);
  });
});
