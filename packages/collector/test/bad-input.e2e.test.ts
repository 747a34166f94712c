import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCollector, type TestCollector } from "./helpers.js";
import { postSignal, SIGNALS } from "./otlp-signals.js";

describe.each(SIGNALS)("POST $path with bad input", (signal) => {
  let collector: TestCollector;
  const snapshot = () => ({
    runs: collector.query("SELECT * FROM runs ORDER BY run_id"),
    spans: collector.query("SELECT * FROM spans ORDER BY span_id"),
    logs: collector.query("SELECT * FROM logs ORDER BY log_id"),
  });

  beforeAll(async () => {
    collector = await startTestCollector();
    // A run to keep, whatever the signal under test.
    const ok = await postSignal(collector.server.url, SIGNALS[0]!, SIGNALS[0]!.json());
    expect(ok.status).toBe(200);
    expect((await postSignal(collector.server.url, signal, signal.json())).status).toBe(200);
  });
  afterAll(async () => {
    await collector?.stop();
  });

  it.each(signal.malformed)(
    "answers 400 naming the problem for %s, and changes nothing",
    async (_what, body, message) => {
      const before = snapshot();
      const response = await postSignal(collector.server.url, signal, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
      expect(snapshot()).toEqual(before);
    },
  );

  it("answers 415 for an unknown content type", async () => {
    const response = await postSignal(collector.server.url, signal, signal.json(), "text/plain");
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: string }).error).toMatch(/text\/plain/);
  });

  it("stays up and keeps the stored data after bad requests", async () => {
    const health = await fetch(`${collector.server.url}/health`);
    expect(health.status).toBe(200);
    expect(collector.query("SELECT run_id, status FROM runs")).toEqual([{ run_id: "run-1", status: "ok" }]);
  });

  it("stores a retried batch only once", async () => {
    const before = collector.query(signal.snapshotSql);
    await postSignal(collector.server.url, signal, signal.json());
    await postSignal(collector.server.url, signal, signal.json());
    expect(collector.query(signal.snapshotSql)).toEqual(before);
    expect(before).toHaveLength(1);
  });
});
