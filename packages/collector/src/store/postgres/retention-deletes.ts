import type pg from "pg";
import { KEY_RANGE_SQL } from "../span-key.js";
import { dayAt, keyRangeOfDay, partitionDays, partitionName } from "./partitions.js";

export interface Deleted {
  deleted: number;
  more: boolean;
}

const NO_SPANS_LEFT_SQL = `NOT EXISTS (
  SELECT 1 FROM spans
  WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("traces.key_base")} AND ${KEY_RANGE_SQL.last("traces.key_base")}
    AND spans.trace_id = traces.trace_id)`;

const DELETE_REST = [
  ...["decisions", "failures", "interruptions", "logs"].map(
    (table) => `DELETE FROM ${table} WHERE run_id = $1`,
  ),
  "DELETE FROM graph_writes WHERE thread_id = $1",
  "DELETE FROM graph_checkpoints WHERE thread_id = $1",
  `DELETE FROM traces WHERE run_id = $1 AND ${NO_SPANS_LEFT_SQL}`,
  "UPDATE traces SET run_id = NULL WHERE run_id = $1",
  "DELETE FROM runs WHERE run_id = $1",
];

/**
 * Deletes the oldest runs with their rows (store/sqlite/retention-deletes.ts), in the caller's
 * transaction: at most `limit` runs and `spanBudget` spans. Runs another transaction is deleting
 * are skipped (SKIP LOCKED), so two collectors' retention share the work.
 */
export async function deleteOldRuns(
  client: pg.ClientBase,
  beforeIso: string,
  limit: number,
  spanBudget: number,
): Promise<Deleted> {
  const { rows } = await client.query<{ run_id: string }>(
    `SELECT run_id FROM runs WHERE started_at < $1 AND updated_at < $1 ORDER BY started_at LIMIT $2
     FOR UPDATE SKIP LOCKED`,
    [beforeIso, limit],
  );
  let budget = spanBudget;
  let deleted = 0;
  for (const { run_id } of rows) {
    const spans = await client.query(
      "DELETE FROM spans WHERE span_key IN (SELECT span_key FROM spans WHERE run_id = $1 LIMIT $2)",
      [run_id, budget],
    );
    budget -= spans.rowCount ?? 0;
    // The run's row goes last, so a run cut short here is picked up again by the next call.
    if (budget <= 0) {
      const left = await client.query("SELECT 1 FROM spans WHERE run_id = $1 LIMIT 1", [run_id]);
      if (left.rowCount) return { deleted, more: true };
    }
    for (const sql of DELETE_REST) await client.query(sql, [run_id]);
    deleted++;
    if (budget <= 0) return { deleted, more: true };
  }
  return { deleted, more: rows.length === limit };
}

/** Spans of no run, traces of no run, log records of no run and LangGraph threads of no run before the cutoff. */
export async function deleteOldWithoutRun(
  client: pg.ClientBase,
  beforeIso: string,
  limit: number,
): Promise<Deleted & { traces: number }> {
  const beforeMs = Date.parse(beforeIso);
  const beforeNs = BigInt(beforeMs) * 1_000_000n;
  const { rows } = await client.query<{ span_key: string }>(
    "SELECT span_key::text AS span_key FROM spans WHERE run_id IS NULL AND start_ns < $1 LIMIT $2",
    [beforeNs, limit],
  );
  const keys = rows.map((r) => r.span_key);
  for (const table of ["decisions", "failures", "spans"]) {
    await client.query(`DELETE FROM ${table} WHERE span_key = ANY($1::bigint[])`, [keys]);
  }
  const traces =
    (
      await client.query(
        `DELETE FROM traces WHERE trace_id IN (
           SELECT trace_id FROM traces WHERE run_id IS NULL AND seen_ms < $1 AND ${NO_SPANS_LEFT_SQL} LIMIT $2)`,
        [beforeMs, limit],
      )
    ).rowCount ?? 0;
  const logs =
    (
      await client.query(
        "DELETE FROM logs WHERE log_id IN (SELECT log_id FROM logs WHERE run_id IS NULL AND ts_ns < $1 LIMIT $2)",
        [beforeNs, limit],
      )
    ).rowCount ?? 0;
  const threads = await client.query<{ thread_id: string }>(
    `SELECT thread_id FROM graph_checkpoints GROUP BY thread_id
     HAVING max(created_ms) < $1 AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.run_id = thread_id) LIMIT $2`,
    [beforeMs, limit],
  );
  for (const { thread_id } of threads.rows) {
    await client.query("DELETE FROM graph_writes WHERE thread_id = $1", [thread_id]);
    await client.query("DELETE FROM graph_checkpoints WHERE thread_id = $1", [thread_id]);
  }
  return {
    deleted: keys.length,
    more: keys.length === limit || traces === limit || logs === limit || threads.rows.length === limit,
    traces,
  };
}

/**
 * Days before the cutoff whose partition holds no span of a run that is kept, nor a span of no
 * run started after the cutoff: the partitions retention may drop whole.
 */
export async function expiredPartitionDays(client: pg.ClientBase, beforeIso: string): Promise<number[]> {
  const lastWholeDay = dayAt(Date.parse(beforeIso)) - 1;
  return (await partitionDays(client)).filter((day) => day <= lastWholeDay);
}

/**
 * Drops one day's partition in the caller's transaction when retention would delete every row of
 * it: its rows go at once instead of row by row, with the decisions, failures and traces rows of
 * its keys. The partition is locked before it is checked, so no late span slips in between.
 * Answers whether it was dropped.
 */
export async function dropPartitionIfExpired(
  client: pg.ClientBase,
  day: number,
  beforeIso: string,
): Promise<boolean> {
  const name = partitionName(day);
  // Readers of spans wait while the lock is held; a busy partition is left for row deletes.
  await client.query("SET LOCAL lock_timeout = '2s'");
  await client.query(`LOCK TABLE ${name} IN ACCESS EXCLUSIVE MODE`);
  const kept = await client.query(
    `SELECT 1 FROM ${name} s WHERE s.run_id IS NULL AND s.start_ns >= $2
     UNION ALL
     SELECT 1 FROM ${name} s JOIN runs r ON r.run_id = s.run_id WHERE r.started_at >= $1 OR r.updated_at >= $1
     LIMIT 1`,
    [beforeIso, BigInt(Date.parse(beforeIso)) * 1_000_000n],
  );
  if (kept.rowCount) return false;
  const [from, to] = keyRangeOfDay(day);
  await client.query("DELETE FROM decisions WHERE span_key >= $1 AND span_key < $2", [from, to]);
  await client.query("DELETE FROM failures WHERE span_key >= $1 AND span_key < $2", [from, to]);
  await client.query("DELETE FROM traces WHERE key_base >= $1 AND key_base < $2", [from >> 22n, to >> 22n]);
  await client.query(`DROP TABLE ${name}`);
  return true;
}
