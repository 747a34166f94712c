import type pg from "pg";
import type { RunDeltaParams } from "../run-delta.js";
import { namedSql } from "./named-sql.js";

/**
 * Merges a batch's RunDelta into `runs`: the SQLite store's ROLLUP_RUN_SQL (store/sqlite/run-rollup.ts)
 * in PostgreSQL. The upsert locks the run's row and merges into the row as committed, so batches
 * of one run from two collectors add up whichever commits first: a delta counts only what its
 * batch changed against the span rows it locked.
 */
/** The columns of `runs` a delta sets, with their types, in the order of rollupValues. */
const DELTA_COLUMNS: [string, string][] = [
  ["run_id", "text"],
  ["name", "text"],
  ["status", "text"],
  ["started_at", "text"],
  ["ended_at", "text"],
  ["duration_ms", "float8"],
  ["current_step", "integer"],
  ["current_step_name", "text"],
  ["steps", "integer"],
  ["attempts", "integer"],
  ["input_tokens", "bigint"],
  ["output_tokens", "bigint"],
  ["cost_usd", "float8"],
  ["error", "text"],
  ["request_id", "text"],
  ["service", "text"],
  ["trace_id", "text"],
  ["start_ns", "bigint"],
  ["last_ns", "bigint"],
  ["last_seen_at", "text"],
  ["updated_at", "text"],
];

/**
 * All of a batch's deltas in one statement. A delta's root finished exactly when its row has an
 * end (`excluded.ended_at`), and then its status is the root's: the SQLite statement's @finished
 * and @root_status, read from the proposed row.
 */
const ROLLUP_RUNS_SQL = `
INSERT INTO runs AS runs (${DELTA_COLUMNS.map(([c]) => c).join(", ")})
SELECT * FROM unnest(${DELTA_COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ")})
ON CONFLICT (run_id) DO UPDATE SET
  name = coalesce(runs.name, excluded.name),
  started_at = CASE WHEN excluded.start_ns < runs.start_ns THEN excluded.started_at ELSE runs.started_at END,
  start_ns = least(runs.start_ns, excluded.start_ns),
  last_ns = greatest(runs.last_ns, excluded.last_ns),
  status = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.status
    WHEN excluded.attempts = runs.attempts AND excluded.ended_at IS NOT NULL
         AND (runs.status <> 'interrupted' OR excluded.status = 'ok')
      THEN excluded.status
    ELSE runs.status END,
  ended_at = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.ended_at
    WHEN excluded.attempts = runs.attempts AND excluded.ended_at IS NOT NULL THEN excluded.ended_at
    ELSE runs.ended_at END,
  duration_ms = CASE
    WHEN excluded.attempts >= runs.attempts AND excluded.ended_at IS NOT NULL
      THEN (greatest(runs.last_ns, excluded.last_ns) - least(runs.start_ns, excluded.start_ns)) / 1e6
    WHEN excluded.attempts > runs.attempts THEN NULL
    ELSE runs.duration_ms END,
  current_step = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.current_step
    WHEN excluded.attempts = runs.attempts AND excluded.current_step >= coalesce(runs.current_step, -1)
      THEN excluded.current_step
    ELSE runs.current_step END,
  current_step_name = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.current_step_name
    WHEN excluded.attempts = runs.attempts AND excluded.current_step >= coalesce(runs.current_step, -1)
      THEN excluded.current_step_name
    ELSE runs.current_step_name END,
  steps = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.steps
    WHEN excluded.attempts = runs.attempts THEN runs.steps + excluded.steps
    ELSE runs.steps END,
  error = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.error
    WHEN excluded.attempts < runs.attempts THEN runs.error
    WHEN excluded.ended_at IS NOT NULL AND excluded.status = 'ok' THEN NULL
    WHEN runs.status IN ('interrupted', 'ok') THEN runs.error
    WHEN excluded.ended_at IS NOT NULL AND excluded.status = 'error' THEN coalesce(excluded.error, runs.error)
    ELSE coalesce(runs.error, excluded.error) END,
  attempts = greatest(runs.attempts, excluded.attempts),
  input_tokens = CASE WHEN excluded.input_tokens IS NULL THEN runs.input_tokens
                      ELSE coalesce(runs.input_tokens, 0) + excluded.input_tokens END,
  output_tokens = CASE WHEN excluded.output_tokens IS NULL THEN runs.output_tokens
                       ELSE coalesce(runs.output_tokens, 0) + excluded.output_tokens END,
  cost_usd = CASE WHEN excluded.cost_usd IS NULL THEN runs.cost_usd
                  ELSE coalesce(runs.cost_usd, 0) + excluded.cost_usd END,
  request_id = coalesce(runs.request_id, excluded.request_id),
  service = coalesce(runs.service, excluded.service),
  trace_id = coalesce(runs.trace_id, excluded.trace_id),
  last_seen_at = excluded.last_seen_at,
  updated_at = excluded.updated_at`;

/** The row a delta proposes, as the SQLite statement's VALUES builds it. */
function rollupValues(d: RunDeltaParams): unknown[] {
  const finished = d.finished === 1;
  return [
    d.run_id,
    d.name,
    finished ? d.root_status : "running",
    d.started_at,
    // Null unless finished: the merge reads "finished" from it.
    finished ? d.ended_at : null,
    finished ? Number(d.last_ns - d.start_ns) / 1e6 : null,
    d.current_step,
    d.current_step_name,
    d.new_steps,
    d.attempt,
    d.input_tokens,
    d.output_tokens,
    d.cost_usd,
    d.error,
    d.request_id,
    d.service,
    d.trace_id,
    d.start_ns,
    d.last_ns,
    d.now,
    d.now,
  ];
}

/**
 * Merges the deltas in one statement, rows in run ID order, so two batches touching the same runs
 * lock them alike.
 */
export async function mergeRunDeltas(client: pg.ClientBase, deltas: RunDeltaParams[]): Promise<void> {
  if (deltas.length === 0) return;
  const rows = [...deltas]
    .sort((a, b) => (a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0))
    .map(rollupValues);
  await client.query(
    ROLLUP_RUNS_SQL,
    DELTA_COLUMNS.map((_, column) => rows.map((row) => row[column])),
  );
}

/** MARK_INTERRUPTED_SQL of store/sqlite/run-rollup.ts. */
export const MARK_INTERRUPTED = namedSql(`
UPDATE runs SET status = 'interrupted', error = @reason, updated_at = @now,
  current_step = coalesce(@next_step::int, @at_step::int, current_step),
  current_step_name = CASE WHEN @next_step::int IS NOT NULL THEN @next_step_name::text
                           WHEN @at_step::int IS NOT NULL THEN @at_step_name::text ELSE current_step_name END
WHERE run_id = @run_id AND attempts = @attempt::int AND status <> 'ok'`);
