import type { SpanRecord } from "../src/domain.js";
import { spanRecord } from "./span-record.js";

export const TRACE = "0af7651916cd43dd8448eb211c80319c";

/** A finished step of run task-1 on one trace; a test overrides what it is about. */
export function span(overrides: Partial<SpanRecord>): SpanRecord {
  return spanRecord({
    traceId: TRACE,
    runId: "task-1",
    service: "svc",
    kind: "step",
    name: "fetch_data",
    startNs: 1_763_900_000_000_000_000n,
    endNs: 1_763_900_001_000_000_000n,
    stepIndex: 1,
    ...overrides,
  });
}
