import type Database from "better-sqlite3";
import { checkpointSteps, type ExecutedStepRow, stepDurations } from "../crash-survival-rows.js";
import type {
  AttemptRoot,
  InFlightStep,
  Interruption,
  OpenAttempt,
  RunCheckpoints,
  StepDuration,
} from "../durability.js";
import { nsToIso } from "../time.js";
import { InFlightSteps } from "./in-flight-step.js";
import { openWritableDatabase } from "./open-database.js";
import { MARK_INTERRUPTED_SQL } from "./run-rollup.js";

type LatestRoot = Omit<OpenAttempt, "run_id" | "run_status" | "updated_at">;

const EXECUTED_STEPS_SQL = `
SELECT step_index AS "index", name, span_id AS spanId, attempt, output,
       json_extract(attributes, '$."flightrec.step.output_redacted"') IS 1 AS redacted FROM (
  SELECT *, row_number() OVER (PARTITION BY step_index ORDER BY attempt DESC, start_ns DESC) AS rn
  FROM spans
  WHERE run_id = ? AND kind = 'step' AND status = 'ok' AND end_ns IS NOT NULL AND step_index > 0
    AND output IS NOT NULL AND json_extract(attributes, '$."flightrec.step.replayed"') IS NOT 1
) WHERE rn = 1 ORDER BY step_index`;

// Runs still open, plus runs that just ended with an interruption reason (a deadline).
const OPEN_RUNS_SQL = `
SELECT run_id, status AS run_status, updated_at FROM runs
WHERE status = 'running' OR (status = 'error' AND updated_at >= ?)`;

// The newest attempt's run span only: a resumed attempt's steps can arrive before its run span,
// and an older attempt's span would lend it a stale interruption reason, input and IDs.
const LATEST_ROOT_SQL = `
SELECT newest.attempt, root.trace_id, root.span_id, root.input AS root_input,
       json_extract(root.attributes, '$."flightrec.run.interrupted"') AS reason,
       -- Only a number: SQLite reads a JSON true as 1, which would be a 1 ms heartbeat.
       CASE WHEN json_type(root.attributes, '$."flightrec.heartbeat.interval_ms"') IN ('integer', 'real')
            THEN json_extract(root.attributes, '$."flightrec.heartbeat.interval_ms"') END AS interval_ms,
       CASE WHEN json_type(root.attributes, '$."flightrec.run.next_step.index"') = 'integer'
            THEN json_extract(root.attributes, '$."flightrec.run.next_step.index"') END AS next_step_index,
       json_extract(root.attributes, '$."flightrec.run.next_step.name"') AS next_step_name
FROM (SELECT max(attempt) AS attempt FROM spans WHERE run_id = @run_id) AS newest
LEFT JOIN spans AS root ON root.span_key = (
  SELECT span_key FROM spans WHERE run_id = @run_id AND kind = 'run' AND attempt = newest.attempt
  ORDER BY start_ns DESC LIMIT 1
)`;

// When the attempt was last heard of, on the agent's clock (its spans' times are): its newest
// span time, or the newest heartbeat its open spans carried.
const LAST_HEARD_SQL = `
SELECT max(coalesce(end_ns, start_ns)) AS last_ns,
       max(CASE WHEN json_type(attributes, '$."flightrec.heartbeat.at"') IN ('integer', 'real')
                THEN CAST(json_extract(attributes, '$."flightrec.heartbeat.at"') AS INTEGER) END) AS heartbeat_ms
FROM spans WHERE run_id = ? AND attempt = ?`;

// An interrupted attempt's spans that never ended: they failed, interrupted, when it was last heard of.
// The status stays within running | ok | error; the error text marks them. A final span that still
// arrives replaces the row (the writer skips only placeholders once a span is no longer running).
const CLOSE_OPEN_SPANS_SQL = `
UPDATE spans SET status = 'error', error = @error, end_ns = @end_ns, ended_at = @ended_at,
                 duration_ms = (@end_ns - start_ns) / 1e6
WHERE run_id = @run_id AND attempt = @attempt AND status = 'running'`;

// Resumed runs that changed since the given time: their older attempts may have been left open.
const RESUMED_RUNS_SQL = `
SELECT run_id, attempts FROM runs
WHERE status IN ('running', 'ok', 'error', 'interrupted') AND updated_at >= ? AND attempts > 1`;

const OPEN_OLDER_ATTEMPTS_SQL = `
SELECT DISTINCT attempt FROM spans WHERE run_id = ? AND attempt < ? AND status = 'running' ORDER BY attempt`;

const ATTEMPT_ROOT_SQL = `
SELECT input AS root_input, json_extract(attributes, '$."flightrec.run.interrupted"') AS reason FROM spans
WHERE run_id = ? AND attempt = ? AND kind = 'run' ORDER BY start_ns DESC LIMIT 1`;

/** The newest time a SQLite INTEGER of nanoseconds holds is in 2262; a heartbeat past it is not a time. */
const MAX_HEARTBEAT_MS = 9_000_000_000_000;

/**
 * The SQLite store's reads and writes for crash survival (DurabilityStore): checkpoints for
 * resume, step durations for deadlines, and recording interruptions. The store runs them on its
 * one writer connection; `open` gives tests a connection of their own to a store file.
 */
export class DurabilityQueries {
  private readonly executedSteps: Database.Statement;
  private readonly latestRoot: Database.Statement;
  private readonly stepDurations: Database.Statement;
  private readonly openRuns: Database.Statement;
  private readonly inFlight: InFlightSteps;
  private readonly insertInterruption: Database.Statement;
  private readonly insertFailure: Database.Statement;
  private readonly runCost: Database.Statement;
  private readonly rollup: Database.Statement;
  private readonly lastHeard: Database.Statement;
  private readonly closeOpenSpans: Database.Statement;
  private readonly resumedRuns: Database.Statement;
  private readonly openOlderAttempts: Database.Statement;
  private readonly attemptRoot: Database.Statement;
  readonly interrupt: (i: Interruption) => void;

  constructor(private readonly db: Database.Database) {
    this.executedSteps = db.prepare(EXECUTED_STEPS_SQL);
    this.latestRoot = db.prepare(LATEST_ROOT_SQL);
    this.stepDurations = db.prepare(
      `SELECT name, duration_ms FROM spans
       WHERE kind = 'step' AND status = 'ok' AND duration_ms IS NOT NULL
         AND json_extract(attributes, '$."flightrec.step.replayed"') IS NOT 1
         AND run_id IN (SELECT run_id FROM runs WHERE name = ?)
       ORDER BY start_ns DESC LIMIT 10000`,
    );
    this.openRuns = db.prepare(OPEN_RUNS_SQL);
    this.inFlight = new InFlightSteps(db);
    this.insertInterruption = db.prepare(
      `INSERT OR IGNORE INTO interruptions (run_id, attempt, reason, step, step_name, span_id, input, cost_usd, ts)
       VALUES (@run_id, @attempt, @reason, @step, @step_name, @span_id, @input, @cost_usd, @ts)`,
    );
    this.insertFailure = db.prepare(
      `INSERT OR IGNORE INTO failures (span_key, trace_id, span_id, run_id, attempt, step, kind, name, error_type,
                                       message, stack, input, context, ts, ts_ns)
       VALUES (CAST(@span_key AS INTEGER), @trace_id, @span_id, @run_id, @attempt, @step, @kind, @name, 'interrupted', @message, NULL, @input,
               @context, @ts, @ts_ns)`,
    );
    this.runCost = db.prepare("SELECT sum(cost_usd) AS cost FROM spans WHERE run_id = ? AND kind = 'llm'");
    this.rollup = db.prepare(MARK_INTERRUPTED_SQL);
    this.lastHeard = db.prepare(LAST_HEARD_SQL).safeIntegers(true);
    this.closeOpenSpans = db.prepare(CLOSE_OPEN_SPANS_SQL);
    this.resumedRuns = db.prepare(RESUMED_RUNS_SQL);
    this.openOlderAttempts = db.prepare(OPEN_OLDER_ATTEMPTS_SQL).pluck();
    this.attemptRoot = db.prepare(ATTEMPT_ROOT_SQL);
    this.interrupt = db.transaction((i: Interruption) => this.writeInterruption(i));
  }

  static open(path: string): DurabilityQueries {
    return new DurabilityQueries(openWritableDatabase(path));
  }

  /** Finished, executed steps in order; stops where the record no longer follows one line. */
  checkpoints(runId: string): RunCheckpoints | null {
    const root = this.latestRoot.get({ run_id: runId }) as LatestRoot;
    if (root.attempt === null) return null;
    const steps = checkpointSteps(this.executedSteps.all(runId) as ExecutedStepRow[]);
    return { runId, attempt: root.attempt, traceId: root.trace_id, spanId: root.span_id, steps };
  }

  /** p95 of past durations of each step of runs with this name. */
  stepDurationsOf(runName: string): StepDuration[] {
    return stepDurations(this.stepDurations.all(runName) as { name: string; duration_ms: number }[]);
  }

  /** Open runs, and runs that ended in error since the given time (a deadline ends that way). */
  openAttemptsSince(errorsSinceIso: string): OpenAttempt[] {
    const runs = this.openRuns.all(errorsSinceIso) as Pick<
      OpenAttempt,
      "run_id" | "run_status" | "updated_at"
    >[];
    return runs.map((run) => ({ ...run, ...(this.latestRoot.get({ run_id: run.run_id }) as LatestRoot) }));
  }

  inFlightStep(runId: string, attempt: number): InFlightStep | undefined {
    return this.inFlight.of(runId, attempt);
  }

  /** Resumed runs (more than one attempt) whose row changed since the given time. */
  resumedRunsSince(sinceIso: string): { run_id: string; attempts: number }[] {
    return this.resumedRuns.all(sinceIso) as { run_id: string; attempts: number }[];
  }

  /** Attempts older than `newest` that still have spans running: left open when a newer one began. */
  openAttemptsBefore(runId: string, newest: number): number[] {
    return this.openOlderAttempts.all(runId, newest) as number[];
  }

  /** The run span of one attempt: its input and the reason its SDK gave for stopping, if any. */
  rootOf(runId: string, attempt: number): AttemptRoot | undefined {
    return this.attemptRoot.get(runId, attempt) as AttemptRoot | undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private writeInterruption(i: Interruption): void {
    const ts = i.now.toISOString();
    const cost = (this.runCost.get(i.runId) as { cost: number | null }).cost;
    // The step it died in, else (stopped between steps) the one it stopped before.
    const where = i.step
      ? { index: i.step.step_index, name: i.step.step_name ?? i.step.name }
      : (i.nextStep ?? null);
    this.insertInterruption.run({
      run_id: i.runId,
      attempt: i.attempt,
      reason: i.reason,
      step: where?.index ?? null,
      step_name: where?.name ?? null,
      span_id: i.step?.span_id ?? null,
      input: i.step?.input ?? null,
      cost_usd: cost,
      ts,
    });
    if (i.step) {
      this.insertFailure.run({
        span_key: i.step.span_key,
        trace_id: i.step.trace_id,
        span_id: i.step.span_id,
        run_id: i.runId,
        attempt: i.attempt,
        step: i.step.step_index,
        kind: i.step.kind,
        name: i.step.name,
        message: `interrupted: ${i.reason}`,
        input: i.step.input,
        context: i.rootInput,
        ts,
        ts_ns: BigInt(i.now.getTime()) * 1_000_000n,
      });
    }
    this.rollup.run({
      run_id: i.runId,
      attempt: i.attempt,
      reason: i.reason,
      next_step: i.nextStep?.index ?? null,
      next_step_name: i.nextStep?.name ?? null,
      at_step: i.step?.derived ? i.step.step_index : null,
      at_step_name: i.step?.derived ? i.step.step_name : null,
      now: ts,
    });
    this.closeOpenSpansOf(i.runId, i.attempt, i.reason);
  }

  /** The attempt is over: its spans still running end, interrupted, when it was last heard of. */
  private closeOpenSpansOf(runId: string, attempt: number, reason: string): void {
    const heard = this.lastHeard.get(runId, attempt) as {
      last_ns: bigint | null;
      heartbeat_ms: bigint | null;
    };
    if (heard.last_ns === null) return;
    let endNs = heard.last_ns;
    const beat = heard.heartbeat_ms;
    if (beat !== null && beat > 0n && beat < BigInt(MAX_HEARTBEAT_MS) && beat * 1_000_000n > endNs) {
      endNs = beat * 1_000_000n;
    }
    this.closeOpenSpans.run({
      run_id: runId,
      attempt,
      error: `interrupted: ${reason}`,
      end_ns: endNs,
      ended_at: nsToIso(endNs),
    });
  }
}
