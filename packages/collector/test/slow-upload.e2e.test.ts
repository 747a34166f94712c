import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";
import { otlpJson } from "./otlp-builder.js";
import { metric, type RawConnection, rawRequest, statusOf, until, uploadHead } from "./raw-http.js";

const body = (spanId: string) =>
  otlpJson([
    {
      spanId,
      name: "invoke_agent demo",
      startMs: 1_763_900_000_000,
      attributes: { "flightrec.span.kind": "run", "flightrec.run.id": `run-${spanId}` },
    },
  ]);

/** An upload that declares 4 MiB and sends only its first bytes, as a client on a stalled link would. */
async function openSlowUpload(url: string): Promise<RawConnection> {
  const upload = await rawRequest(url, uploadHead(url, 4 * 1024 * 1024));
  upload.socket.write('{"resourceSpans":[');
  return upload;
}

describe("a slow upload does not starve other senders", () => {
  let collector: TestCollector;
  let uploads: RawConnection[] = [];
  beforeAll(async () => {
    // The default in-flight budget (4 MiB): one upload declaring 4 MiB used to take all of it.
    collector = await startTestCollector();
  });
  afterEach(() => {
    for (const upload of uploads) upload.socket.destroy();
    uploads = [];
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("answers 200 to other senders while uploads that declared 4 MiB each are still arriving", async () => {
    const url = collector.server.url;
    for (let open = 1; open <= 3; open++) {
      uploads.push(await openSlowUpload(url));
      await until(async () => (await metric(url, "flightrec_ingest_bodies_in_flight")) === open);
      // The budget holds what has arrived, not what was declared.
      expect(await metric(url, "flightrec_ingest_inflight_bytes")).toBeLessThan(1024);
    }
    for (const spanId of ["c000000000000001", "c000000000000002"]) {
      const response = await postTraces(url, body(spanId));
      expect(response.status).toBe(200);
    }
    expect(collector.query("SELECT span_id FROM spans ORDER BY span_id")).toEqual([
      { span_id: "c000000000000001" },
      { span_id: "c000000000000002" },
    ]);
    expect(uploads.every((u) => !u.socket.destroyed)).toBe(true);
  });
});

describe("a body that does not arrive within the body timeout", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ bodyTimeoutMs: 300 });
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("is cut with 408 naming the limit, and the connection is closed", async () => {
    const url = collector.server.url;
    const upload = await rawRequest(url, uploadHead(url, 4 * 1024 * 1024));
    // A byte now and then keeps the connection busy: only a limit on the whole body ends it.
    const trickle = setInterval(() => upload.socket.write(" "), 50);
    const answer = await upload.closed;
    clearInterval(trickle);
    expect(statusOf(answer)).toBe(408);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toMatch(/request body did not arrive within 300 ms/);
    expect(await metric(url, "flightrec_ingest_bodies_in_flight")).toBe(0);
    expect(await metric(url, "flightrec_ingest_inflight_bytes")).toBe(0);
    expect(collector.query("SELECT count(*) AS n FROM spans")).toEqual([{ n: 0 }]);
    // The collector goes on taking bodies that do arrive.
    expect((await postTraces(url, body("d000000000000001"))).status).toBe(200);
  });
});
