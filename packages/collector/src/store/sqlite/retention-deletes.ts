import type Database from "better-sqlite3";
import { KEY_RANGE_SQL } from "../span-key.js";

/** Spans one retention transaction deletes at most, so ingest never waits long behind it. */
export const RETENTION_SPAN_BUDGET = 20_000;

export interface Deleted {
  deleted: number;
  more: boolean;
}

/** True when no span of the trace row `traces` (in SQL) is left: its key range holds none of its spans. */
const NO_SPANS_LEFT_SQL = `(traces.key_base IS NULL OR NOT EXISTS (
  SELECT 1 FROM spans
  WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("traces.key_base")} AND ${KEY_RANGE_SQL.last("traces.key_base")}
    AND spans.trace_id = traces.trace_id))`;

/**
 * Deletes the oldest runs with their spans, decisions, failures, interruptions and logs, in one small
 * transaction. A trace of a deleted run loses its row once none of its spans is left (spans of
 * another run may share it); until then it stays, of no run, for the retention of spans of no run.
 */
export function runRetention(
  db: Database.Database,
): (beforeIso: string, limit: number, spanBudget: number) => Deleted {
  // A run that started long ago may still be running (its heartbeats move updated_at) or may
  // have been resumed lately: only runs also last heard of before the cutoff are old.
  const pick = db
    .prepare(
      "SELECT run_id FROM runs WHERE started_at < @before AND updated_at < @before ORDER BY started_at LIMIT @limit",
    )
    .pluck();
  const deleteSpans = db.prepare(
    "DELETE FROM spans WHERE span_key IN (SELECT span_key FROM spans WHERE run_id = ? LIMIT ?)",
  );
  const spansLeft = db.prepare("SELECT 1 FROM spans WHERE run_id = ? LIMIT 1").pluck();
  const deleteRest = [
    ...["decisions", "failures", "interruptions", "logs"].map(
      (table) => `DELETE FROM ${table} WHERE run_id = ?`,
    ),
    // A LangGraph thread is the run of the same ID.
    "DELETE FROM graph_writes WHERE thread_id = ?",
    "DELETE FROM graph_checkpoints WHERE thread_id = ?",
    `DELETE FROM traces WHERE run_id = ? AND ${NO_SPANS_LEFT_SQL}`,
    "UPDATE traces SET run_id = NULL WHERE run_id = ?",
    "DELETE FROM runs WHERE run_id = ?",
  ].map((sql) => db.prepare(sql));
  return db.transaction((beforeIso: string, limit: number, spanBudget: number) => {
    const runIds = pick.all({ before: beforeIso, limit }) as string[];
    let budget = spanBudget;
    let deleted = 0;
    for (const runId of runIds) {
      budget -= deleteSpans.run(runId, budget).changes;
      // The run's row goes last, so a run cut short here is picked up again by the next call.
      if (budget <= 0 && spansLeft.get(runId) !== undefined) return { deleted, more: true };
      for (const statement of deleteRest) statement.run(runId);
      deleted++;
      if (budget <= 0) return { deleted, more: true };
    }
    return { deleted, more: runIds.length === limit };
  });
}

/**
 * Deletes the oldest spans of no run (plain HTTP or DB traces) with their failures and
 * decisions, then the rows of traces of no run first seen before the cutoff that have no
 * span left (a row kept while its trace has spans keeps every copy of them on one key), and log
 * records of no run written before the cutoff.
 */
export function noRunRetention(
  db: Database.Database,
): (beforeIso: string, limit: number) => Deleted & { traces: number } {
  const pick = db
    .prepare("SELECT span_key FROM spans WHERE run_id IS NULL AND start_ns < ? LIMIT ?")
    .pluck()
    .safeIntegers();
  const del = ["decisions", "failures", "spans"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE span_key = ?`),
  );
  const deleteTraces = db.prepare(
    `DELETE FROM traces WHERE trace_id IN (
       SELECT trace_id FROM traces WHERE run_id IS NULL AND seen_ms < ? AND ${NO_SPANS_LEFT_SQL} LIMIT ?)`,
  );
  const deleteLogs = db.prepare(
    "DELETE FROM logs WHERE rowid IN (SELECT rowid FROM logs WHERE run_id IS NULL AND ts_ns < ? LIMIT ?)",
  );
  // LangGraph threads that never became a run (a saver without tracing): whole threads whose
  // newest checkpoint is older than the cutoff, so no thread loses part of its history.
  const pickThreads = db
    .prepare(
      `SELECT thread_id FROM graph_checkpoints GROUP BY thread_id
       HAVING max(created_ms) < ? AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.run_id = thread_id) LIMIT ?`,
    )
    .pluck();
  const deleteThread = ["graph_writes", "graph_checkpoints"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE thread_id = ?`),
  );
  return db.transaction((beforeIso: string, limit: number) => {
    const beforeMs = Date.parse(beforeIso);
    const keys = pick.all(BigInt(beforeMs) * 1_000_000n, limit) as bigint[];
    for (const key of keys) for (const statement of del) statement.run(key);
    const traces = deleteTraces.run(beforeMs, limit).changes;
    const logs = deleteLogs.run(BigInt(beforeMs) * 1_000_000n, limit).changes;
    const threads = pickThreads.all(beforeMs, limit) as string[];
    for (const thread of threads) for (const statement of deleteThread) statement.run(thread);
    return {
      deleted: keys.length,
      more: keys.length === limit || traces === limit || logs === limit || threads.length === limit,
      traces,
    };
  });
}
