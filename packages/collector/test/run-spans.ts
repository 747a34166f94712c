import type { SpanRecord } from "../src/domain.js";
import { spanRecord } from "./span-record.js";

export const T0 = 1_763_900_000_000_000_000n; // 2025-11-23T12:13:20Z
export const MS = 1_000_000n;
export const RANGE = {
  from: "2025-11-23T00:00:00.000Z",
  to: "2025-11-24T00:00:00.000Z",
  bucket: "hour" as const,
};

/** A run of `calls` spans of one kind, the n-th lasting durations[n] ms (null: still open). */
export function runOf(
  runId: string,
  calls: Partial<SpanRecord>[],
  durations: (number | null)[],
): SpanRecord[] {
  // IDs of the run's own: its name in hex.
  const hex = Buffer.from(runId).toString("hex").padEnd(14, "0").slice(0, 14);
  const traceId = hex.padEnd(32, "0");
  const root = spanRecord({
    traceId,
    spanId: `${hex}ff`,
    runId,
    kind: "run",
    name: "invoke_agent a",
    startNs: T0,
  });
  return [
    root,
    ...durations.map((ms, i) =>
      spanRecord({
        traceId,
        spanId: `${hex}${(i + 1).toString(16).padStart(2, "0")}`,
        parentSpanId: root.spanId,
        runId,
        startNs: T0 + BigInt(i) * MS,
        endNs: ms === null ? null : T0 + BigInt(i) * MS + BigInt(ms) * MS,
        ...calls[i % calls.length],
      }),
    ),
  ];
}
