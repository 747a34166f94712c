import { describe, expect, it } from "vitest";
import { spanRecord } from "../test/span-record.js";
import { STORE_KINDS, type StoreUnderTest, useStore } from "../test/store-harness.js";
import type { SpanRecord } from "./domain.js";
import { createLogger } from "./logger.js";
import { startRetention } from "./retention.js";

const DAY_NS = 86_400_000_000_000n;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

let nextId = 1;
/** A span of `runId` (or of no run) that started `daysAgo` days ago. */
function span(runId: string | null, daysAgo: number, overrides: Partial<SpanRecord> = {}): SpanRecord {
  const startNs = nowNs() - BigInt(Math.round(daysAgo * 24)) * (DAY_NS / 24n);
  return spanRecord({
    traceId: (runId ?? "none").padEnd(32, "0").replace(/[^0-9a-f]/g, "a"),
    spanId: (nextId++).toString(16).padStart(16, "0"),
    runId,
    kind: runId ? "run" : "other",
    startNs,
    endNs: startNs + 1_000_000n,
    ...overrides,
  });
}

/** As if the collector last heard of the run `daysAgo` days ago. */
function lastHeard(current: StoreUnderTest, runId: string, daysAgo: number): Promise<void> {
  const at = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  return current.exec("UPDATE runs SET updated_at = ?, last_seen_at = ? WHERE run_id = ?", at, at, runId);
}

const sweep = async (current: StoreUnderTest, batchSize?: number) => {
  const retention = startRetention({
    store: current.store,
    retainDays: 7,
    logger: createLogger("silent"),
    intervalMs: 3_600_000,
    batchSize,
  });
  try {
    return await retention.sweep();
  } finally {
    retention.stop();
  }
};
const runIds = async (current: StoreUnderTest) =>
  (await current.query<{ run_id: string }>("SELECT run_id FROM runs ORDER BY run_id")).map((r) => r.run_id);

describe.each(STORE_KINDS)("retention (%s store)", (kind) => {
  const current = useStore(kind);
  const store = { ingest: (spans: SpanRecord[]) => current().store.ingest(spans) };
  it("deletes runs that started and were last heard of before the cutoff, and keeps the others", async () => {
    await store.ingest([
      span("done-long-ago", 10),
      span("recent", 1),
      // Started before the cutoff and still running: its heartbeat just arrived.
      span("still-running", 10, { status: "running", endNs: null, pending: true }),
      // Its first attempt is old, the attempt resumed yesterday is not.
      span("resumed", 10, { status: "error" }),
      span("resumed", 1, { attempt: 2 }),
    ]);
    await lastHeard(current(), "done-long-ago", 10);
    await sweep(current());
    expect(await runIds(current())).toEqual(["recent", "resumed", "still-running"]);
    expect(await current().query("SELECT count(*) AS n FROM spans WHERE run_id = 'resumed'")).toEqual([
      { n: 2 },
    ]);
  });

  it("deletes every old span of no run, with its failures and decisions, however many there are", async () => {
    const failed = {
      status: "error" as const,
      failure: {
        step: null,
        errorType: "E",
        message: "boom",
        stack: null,
        input: null,
        context: null,
        tsNs: nowNs() - 10n * DAY_NS,
      },
    };
    const decided = {
      decisions: [
        {
          step: null,
          action: "retry",
          reasoning: null,
          inputTokens: null,
          outputTokens: null,
          costUsd: null,
          tsNs: nowNs() - 10n * DAY_NS,
        },
      ],
    };
    const old = Array.from({ length: 60 }, (_, i) => span(null, 10, i % 2 ? failed : decided));
    await store.ingest([...old, span(null, 1, failed), span(null, 1, decided)]);
    await sweep(current(), 2);
    const count = async (table: string) =>
      (await current().query(`SELECT count(*) AS n FROM ${table}`))[0]!.n;
    expect([await count("spans"), await count("failures"), await count("decisions")]).toEqual([2, 1, 1]);
  });

  it("forgets which run a deleted trace belonged to: a late span of that trace starts a run of its own", async () => {
    const old = span("gone", 10);
    await store.ingest([old]);
    await lastHeard(current(), "gone", 10);
    await sweep(current());
    expect(await runIds(current())).toEqual([]);
    // Another instrumentation's LLM call in the same trace, arriving after the run was deleted.
    await store.ingest([span(null, 0, { traceId: old.traceId, kind: "llm", name: "chat" })]);
    expect(await runIds(current())).toEqual([old.traceId]);
  });
});
