import { describe, expect, it } from "vitest";
import { Metrics } from "./metrics.js";

describe("Metrics", () => {
  it("remembers when ingest last refused a request, and only ingest", () => {
    const metrics = new Metrics();
    metrics.observeRequest("/v1/traces", 200, 0.01);
    metrics.observeRequest("/api/runs", 503, 0.01);
    expect(metrics.lastIngestRefusalAt).toBe(0);
    const before = Date.now();
    metrics.observeRequest("/v1/traces", 429, 0.01);
    expect(metrics.lastIngestRefusalAt).toBeGreaterThanOrEqual(before);
    metrics.lastIngestRefusalAt = 0;
    metrics.observeRequest("/v1/traces", 503, 0.01);
    expect(metrics.lastIngestRefusalAt).toBeGreaterThanOrEqual(before);
  });
});

describe("Metrics registered by parts of the collector", () => {
  it("reads each registered gauge and counter when rendered, and refuses a name twice", () => {
    const metrics = new Metrics();
    let value = 1;
    metrics.gauge("flightrec_test_value", "A value.", () => value);
    metrics.counter("flightrec_test_total", "A count.", () => value * 2);
    value = 7;
    const text = metrics.render({ queueDepth: 0, sseClients: 0 });
    expect(text).toMatch(/# TYPE flightrec_test_value gauge\nflightrec_test_value 7\n/);
    expect(text).toMatch(/# TYPE flightrec_test_total counter\nflightrec_test_total 14\n/);
    expect(() => metrics.gauge("flightrec_test_value", "Again.", () => 0)).toThrow(/registered twice/);
  });
});
