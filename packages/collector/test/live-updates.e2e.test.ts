import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postTraces, startTestCollector, type TestCollector } from "./helpers.js";
import { otlpJson } from "./otlp-builder.js";
import { metric, rawRequest, until } from "./raw-http.js";

/** Runs whose rows are large (a long error message each), so a few batches fill any socket buffer. */
function bigRuns(batch: number, runs: number): { runIds: string[]; body: string } {
  const runIds = Array.from({ length: runs }, (_, i) => `live-${batch}-${i}`);
  const spans = runIds.map((runId) => ({
    name: "invoke_agent live",
    startMs: 1_763_900_000_000 + batch * 1000,
    attributes: { "flightrec.span.kind": "run", "flightrec.run.id": runId },
    error: `${runId}: ${"x".repeat(32 * 1024)}`,
  }));
  return { runIds, body: otlpJson(spans) };
}

/** A client that reads the stream as EventSource would, collecting the run IDs it is told about. */
async function readingClient(url: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: controller.signal });
  const seen = new Set<string>();
  let text = "";
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      const events = text.split("\n\n");
      text = events.pop()!;
      for (const event of events) {
        const data = /^data: (.*)$/m.exec(event)?.[1];
        if (data) seen.add((JSON.parse(data) as { run_id: string }).run_id);
      }
    }
  })().catch(() => {});
  return {
    status: response.status,
    encoding: response.headers.get("content-encoding"),
    seen,
    close: () => controller.abort(),
    reading,
  };
}

describe("live updates with a client that never reads", () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector({ maxUnsentEventBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it("drop that client and free what it held, while a reading client gets every change", async () => {
    const url = collector.server.url;
    const { host } = new URL(url);
    const stalled = await rawRequest(url, `GET /api/events HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    stalled.socket.pause(); // never reads: the collector's writes pile up for it
    const reader = await readingClient(url);
    expect(reader.status).toBe(200);
    expect(reader.encoding).toBe("gzip"); // fetch, like EventSource, takes gzip
    await until(async () => (await metric(url, "flightrec_sse_clients")) === 2);

    const posted: string[] = [];
    // Batch after batch until the collector lets go of the stalled client; bounded, so a collector
    // that never does fails here instead of looping.
    for (let batch = 0; batch < 200 && (await metric(url, "flightrec_sse_clients")) === 2; batch++) {
      const { runIds, body } = bigRuns(batch, 20);
      expect((await postTraces(url, body)).status).toBe(200);
      posted.push(...runIds);
      await until(() => runIds.every((id) => reader.seen.has(id)));
    }
    expect(await metric(url, "flightrec_sse_clients")).toBe(1);

    // The collector closed the stalled connection: nothing it held for that client is left.
    stalled.socket.resume();
    await stalled.closed;
    await until(async () => (await metric(url, "flightrec_sse_buffered_bytes")) === 0);
    expect(await metric(url, "flightrec_sse_clients_dropped_total")).toBe(1);

    // The reading client is still served.
    const { runIds, body } = bigRuns(999, 3);
    expect((await postTraces(url, body)).status).toBe(200);
    await until(() => runIds.every((id) => reader.seen.has(id)));
    expect(posted.every((id) => reader.seen.has(id))).toBe(true);
    reader.close();
    await reader.reading;
  });
});
