import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { NANOS, postSignal, SIGNALS } from "./otlp-signals.js";

const TOKEN = "s3cret-token";
const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(SIGNALS)("ingest limits, encodings and auth on $path", (signal) => {
  let collector: TestCollector;
  const snapshot = () => collector.query(signal.snapshotSql);
  const post = (body: string | Uint8Array, contentType?: string, headers?: Record<string, string>) =>
    postSignal(collector.server.url, signal, body, contentType, headers);

  beforeAll(async () => {
    collector = await startTestCollector({ token: TOKEN, maxBodyBytes: 64 * 1024 });
    expect((await post(signal.json(), "application/json", auth)).status).toBe(200);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("answers 401 without the token and with a wrong one, on ingest and API", async () => {
    const before = snapshot();
    expect((await post(signal.json("1111111111111111"))).status).toBe(401);
    const wrong = await post(signal.json("1111111111111111"), "application/json", {
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
    const before = snapshot().length;
    const response = await post(gzipSync(signal.json("2222222222222222")), "application/json", {
      ...auth,
      "content-encoding": "gzip",
    });
    expect(response.status).toBe(200);
    expect(snapshot()).toHaveLength(before + 1);
    expect(collector.query(signal.itemSql, "2222222222222222")).toHaveLength(1);
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
      signal.json("3333333333333333"),
      { "content-encoding": "br" },
      415,
      /content encoding "br"/,
    ],
  ] as const)("refuses %s and changes nothing", async (_what, payload, headers, status, message) => {
    const before = snapshot();
    const response = await post(payload, "application/json", { ...auth, ...headers });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(snapshot()).toEqual(before);
  });

  it("answers protobuf errors as a protobuf Status", async () => {
    const before = snapshot();
    const response = await post(new Uint8Array([0x0a, 0xff, 0xff, 0x01]), "application/x-protobuf", auth);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-protobuf");
    const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
    expect(text).toMatch(/invalid protobuf/);
    expect(snapshot()).toEqual(before);
  });

  it("answers protobuf requests in protobuf, keeping nanoseconds exact", async () => {
    const response = await post(signal.protobuf("4444444444444444"), "application/x-protobuf", auth);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-protobuf");
    expect(collector.query(signal.itemSql, "4444444444444444")).toEqual([
      { id: "4444444444444444", ns: NANOS.toString() },
    ]);
  });
});
