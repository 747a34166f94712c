import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { metric, rawRequest, until, uploadHead } from "./raw-http.js";

/** A valid one-span OTLP/JSON body of about `size` bytes (a padded attribute). */
function bodyOf(size: number, spanId: string): string {
  const span = {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId,
    name: "padded",
    startTimeUnixNano: "1763900000000000000",
    endTimeUnixNano: "1763900001000000000",
    attributes: [{ key: "pad", value: { stringValue: "x".repeat(size) } }],
  };
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
}

/** Posts `body`; with `chunked` it sends no Content-Length. `hold` sends only the first bytes until released. */
function post(url: string, body: string, options: { chunked?: boolean; hold?: Promise<void> } = {}) {
  return new Promise<number>((resolve, reject) => {
    const headers: Record<string, string | number> = { "content-type": "application/json" };
    // Given the whole body at once, node:http would add a Content-Length of its own.
    if (options.chunked) headers["transfer-encoding"] = "chunked";
    else headers["content-length"] = Buffer.byteLength(body);
    const req = request(`${url}/v1/traces`, { method: "POST", headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    if (!options.hold) {
      req.end(body);
      return;
    }
    req.write(body.slice(0, 100));
    void options.hold.then(() => req.end(body.slice(100)));
  });
}

describe("bodies being read at once are bounded, whether or not they declare their length", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ maxInflightBytes: 8 * 1024 });
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("refuses a chunked body that would take the bytes in flight past the limit", async () => {
    let release!: () => void;
    const held = post(collector.server.url, bodyOf(6 * 1024, "a000000000000001"), {
      hold: new Promise((resolve) => (release = resolve)),
    });
    // Let the held request reach its handler and take its 6 KiB of the budget.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const chunked = await post(collector.server.url, bodyOf(16 * 1024, "a000000000000002"), {
      chunked: true,
    });
    release();
    expect(chunked).toBe(429);
    expect(await held).toBe(200);
    // Alone, the same chunked body is taken.
    expect(await post(collector.server.url, bodyOf(16 * 1024, "a000000000000003"), { chunked: true })).toBe(
      200,
    );
    expect(collector.query("SELECT span_id FROM spans ORDER BY span_id")).toEqual([
      { span_id: "a000000000000001" },
      { span_id: "a000000000000003" },
    ]);
  });
});

describe("a sender refused for overload", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ maxInflightBytes: 1024 });
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("gets its 429 only after a hold, so retrying at once cannot keep the collector refusing", async () => {
    const url = collector.server.url;
    // An upload that has sent 2 KiB of its body and stalls holds the whole budget.
    const upload = await rawRequest(url, uploadHead(url, 64 * 1024));
    upload.socket.write(" ".repeat(2048));
    await until(async () => (await metric(url, "flightrec_ingest_inflight_bytes")) >= 2048);
    const started = performance.now();
    const status = await post(url, bodyOf(100, "a000000000000004"));
    // A lower bound only: a busy machine makes the answer later, never earlier.
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(status).toBe(429);
    upload.socket.destroy();
  });
});
