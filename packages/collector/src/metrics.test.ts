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
