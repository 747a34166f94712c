import type { SpanRecord } from "../src/domain.js";

/** A finished, ok span with every optional field empty; a test overrides what it is about. */
export function spanRecord(overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "1111111111111111",
    parentSpanId: null,
    runId: null,
    runName: null,
    requestId: null,
    service: null,
    attempt: 1,
    kind: "other",
    name: "span",
    status: "ok",
    errorMessage: null,
    startNs: 1_000_000n,
    endNs: 2_000_000n,
    stepIndex: null,
    model: null,
    provider: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    input: null,
    output: null,
    attributes: "{}",
    pending: false,
    decisions: [],
    failure: null,
    ...overrides,
  };
}
