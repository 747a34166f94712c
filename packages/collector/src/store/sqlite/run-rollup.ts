import type Database from "better-sqlite3";
import type { RunDeltaParams } from "../run-delta.js";

/**
 * Merges a batch's RunDelta into `runs`. A newer attempt starts the run's status and
 * position over; the same attempt moves them forward; an older one only adds usage.
 * Tokens and cost add up over all attempts.
 */
export const ROLLUP_RUN_SQL = `
INSERT INTO runs (run_id, name, status, started_at, ended_at, duration_ms, current_step, current_step_name,
                  steps, attempts, input_tokens, output_tokens, cost_usd, error, request_id, service, trace_id,
                  start_ns, last_ns, last_seen_at, updated_at)
VALUES (@run_id, @name, CASE WHEN @finished THEN @root_status ELSE 'running' END, @started_at, @ended_at,
        CASE WHEN @finished THEN (@last_ns - @start_ns) / 1e6 END, @current_step, @current_step_name,
        @new_steps, @attempt, @input_tokens, @output_tokens, @cost_usd, @error, @request_id, @service, @trace_id,
        @start_ns, @last_ns, @now, @now)
ON CONFLICT (run_id) DO UPDATE SET
  name = coalesce(runs.name, excluded.name),
  started_at = CASE WHEN excluded.start_ns < runs.start_ns THEN excluded.started_at ELSE runs.started_at END,
  start_ns = min(runs.start_ns, excluded.start_ns),
  last_ns = max(runs.last_ns, excluded.last_ns),
  -- Same attempt: a finished root decides, except that an interruption stands unless the run ended ok
  -- (a run thought dead may finish after all).
  status = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.status
    WHEN excluded.attempts = runs.attempts AND @finished AND (runs.status <> 'interrupted' OR @root_status = 'ok')
      THEN excluded.status
    ELSE runs.status END,
  ended_at = CASE
    WHEN excluded.attempts > runs.attempts THEN excluded.ended_at
    WHEN excluded.attempts = runs.attempts AND @finished THEN excluded.ended_at
    ELSE runs.ended_at END,
  duration_ms = CASE
    WHEN excluded.attempts >= runs.attempts AND @finished
      THEN (max(runs.last_ns, excluded.last_ns) - min(runs.start_ns, excluded.start_ns)) / 1e6
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
    WHEN @finished AND @root_status = 'ok' THEN NULL
    WHEN runs.status IN ('interrupted', 'ok') THEN runs.error
    WHEN @finished AND @root_status = 'error' THEN coalesce(excluded.error, runs.error)
    ELSE coalesce(runs.error, excluded.error) END,
  attempts = max(runs.attempts, excluded.attempts),
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
  updated_at = excluded.updated_at
`;

/**
 * The same merge as ROLLUP_RUN_SQL for a delta that neither finishes nor fails the run, when
 * the run exists at the same attempt and the delta neither moves its start earlier nor names
 * what the run lacks. SQLite rewrites every index whose columns an UPDATE's SET names, whether
 * or not the value changes; the wide upsert names all of them (seven indexes on `runs`), this
 * one only what can move, so a run touched by many small batches costs a fraction of the
 * pages. With `withUsage` false it leaves tokens and cost (and their indexes) alone. It
 * changes no row when a condition fails: the caller then runs ROLLUP_RUN_SQL.
 */
function advanceRunSql(withUsage: boolean): string {
  const usage = withUsage
    ? `
  input_tokens = CASE WHEN @input_tokens IS NULL THEN input_tokens ELSE coalesce(input_tokens, 0) + @input_tokens END,
  output_tokens = CASE WHEN @output_tokens IS NULL THEN output_tokens ELSE coalesce(output_tokens, 0) + @output_tokens END,
  cost_usd = CASE WHEN @cost_usd IS NULL THEN cost_usd ELSE coalesce(cost_usd, 0) + @cost_usd END,`
    : "";
  return `
UPDATE runs SET
  last_ns = max(last_ns, @last_ns),
  current_step = CASE WHEN @current_step >= coalesce(current_step, -1) THEN @current_step ELSE current_step END,
  current_step_name = CASE WHEN @current_step >= coalesce(current_step, -1) THEN @current_step_name
                           ELSE current_step_name END,
  steps = steps + @new_steps,${usage}
  service = coalesce(service, @service),
  trace_id = coalesce(trace_id, @trace_id),
  last_seen_at = @now,
  updated_at = @now
WHERE run_id = @run_id AND attempts = @attempt AND start_ns <= @start_ns
  AND (name IS NOT NULL OR @name IS NULL) AND (request_id IS NOT NULL OR @request_id IS NULL)`;
}

/** Merges batch deltas into `runs`: the narrow update when it applies, else ROLLUP_RUN_SQL. */
export class RunRollup {
  private readonly rollup: Database.Statement;
  private readonly advance: Database.Statement;
  private readonly advanceWithUsage: Database.Statement;

  constructor(db: Database.Database) {
    this.rollup = db.prepare(ROLLUP_RUN_SQL);
    this.advance = db.prepare(advanceRunSql(false));
    this.advanceWithUsage = db.prepare(advanceRunSql(true));
  }

  merge(params: RunDeltaParams): void {
    if (params.finished === 0 && params.error === null) {
      const withUsage =
        params.input_tokens !== null || params.output_tokens !== null || params.cost_usd !== null;
      if ((withUsage ? this.advanceWithUsage : this.advance).run(params).changes > 0) return;
    }
    this.rollup.run(params);
  }
}

/**
 * Records the verdict that the run's current attempt was interrupted: its status and the
 * reason as its error; a run stopped between steps is at the step it stopped before (its
 * `current_step` is where resume continues); a run whose step in flight was worked out by the
 * verdict (a framework's open node, `@at_step`) is at that step. A run that finished ok keeps its
 * status; an older attempt changes nothing.
 */
export const MARK_INTERRUPTED_SQL = `
UPDATE runs SET status = 'interrupted', error = @reason, updated_at = @now,
  current_step = coalesce(@next_step, @at_step, current_step),
  current_step_name = CASE WHEN @next_step IS NOT NULL THEN @next_step_name
                           WHEN @at_step IS NOT NULL THEN @at_step_name ELSE current_step_name END
WHERE run_id = @run_id AND attempts = @attempt AND status <> 'ok'`;
