import type pg from "pg";
import type { RunDeltaParams } from "../run-delta.js";
import { namedSql } from "./named-sql.js";

/**
 * Merges a batch's RunDelta into `runs`: the SQLite store's ROLLUP_RUN_SQL (store/sqlite/run-rollup.ts)
 * in PostgreSQL. The upsert locks the run's row and merges into the row as committed, so batches
 * of one run from two collectors add up whichever commits first: a delta counts only what its
 * batch changed against the span rows it locked.
 */
const ROLLUP_RUN = namedSql(`
INSERT INTO runs AS runs (run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name,
                  steps, attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, trace_id,
                  start_ns, last_ns, last_seen_at, updated_at)
VALUES (@run_id, @name, CASE WHEN @finished::int = 1 THEN @root_status::text ELSE 'running' END, @started_at, @ended_at,
        CASE WHEN @finished::int = 1 THEN (@last_ns::bigint - @start_ns::bigint) / 1e6 END, @current_step::int,
        @current_step_name, @new_steps::int, @attempt::int, @input_tokens::bigint, @output_tokens::bigint,
        @cost_usd::float8, @error, @request_id, @service, @trace_id, @start_ns::bigint, @last_ns::bigint, @now, @now)
ON CONFLICT (run_id) DO UPDATE SET
  name = coalesce(runs.name, excluded.name),
  started_at = CASE WHEN excluded.start_ns < runs.start_ns THEN excluded.started_at ELSE runs.started_at END,
  start_ns = least(runs.start_ns, excluded.start_ns),
  last_ns = greatest(runs.last_ns, excluded.last_ns),
  status = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.status
    WHEN excluded.attempts = runs.attempts AND @finished::int = 1
         AND (runs.status <> 'interrupted' OR @root_status::text = 'ok')
      THEN excluded.status
    ELSE runs.status END,
  ended_at = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.ended_at
    WHEN excluded.attempts = runs.attempts AND @finished::int = 1 THEN excluded.ended_at
    ELSE runs.ended_at END,
  duration_ms = CASE
    WHEN excluded.attempts >= runs.attempts AND @finished::int = 1
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
    WHEN @finished::int = 1 AND @root_status::text = 'ok' THEN NULL
    WHEN runs.status IN ('interrupted', 'ok') THEN runs.error
    WHEN @finished::int = 1 AND @root_status::text = 'error' THEN coalesce(excluded.error, runs.error)
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
  updated_at = excluded.updated_at`);

/** Merges the deltas in run ID order, so two batches touching the same runs lock them alike. */
export async function mergeRunDeltas(client: pg.ClientBase, deltas: RunDeltaParams[]): Promise<void> {
  const sorted = [...deltas].sort((a, b) => (a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0));
  for (const params of sorted) await client.query(ROLLUP_RUN.text, ROLLUP_RUN.values(params));
}

/** MARK_INTERRUPTED_SQL of store/sqlite/run-rollup.ts. */
export const MARK_INTERRUPTED = namedSql(`
UPDATE runs SET status = 'interrupted', error = @reason, updated_at = @now,
  current_step = coalesce(@next_step::int, @at_step::int, current_step),
  current_step_name = CASE WHEN @next_step::int IS NOT NULL THEN @next_step_name::text
                           WHEN @at_step::int IS NOT NULL THEN @at_step_name::text ELSE current_step_name END
WHERE run_id = @run_id AND attempts = @attempt::int AND status <> 'ok'`);
