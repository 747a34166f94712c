import type Database from "better-sqlite3";

interface Place {
  run_id: string;
  attempt: number;
  start_ns: bigint;
  span_key: bigint;
}

/**
 * Numbers the step spans whose source gave no index (Traceloop tasks, Mastra model steps, …):
 * a run attempt's steps are 1, 2, 3 … by start time, ties by span key. Spans may arrive in any
 * order (a parent task ends, and is exported, after the tasks inside it), so a step that starts
 * before steps already numbered moves those the store numbered one up; steps whose source
 * declared their index (`spans.step_by_order = 0`) count but never move.
 */
export class StepNumbering {
  private readonly countEarlier: Database.Statement;
  private readonly shiftLater: (at: Place) => number;
  private readonly refreshRun: Database.Statement;

  constructor(db: Database.Database) {
    this.countEarlier = db
      .prepare(
        `SELECT count(*) FROM spans WHERE run_id = @run_id AND start_ns <= @start_ns AND attempt = @attempt
           AND kind = 'step' AND (start_ns < @start_ns OR span_key < @span_key)`,
      )
      .pluck();
    const later = `SELECT span_key FROM spans
       WHERE run_id = @run_id AND start_ns >= @start_ns AND attempt = @attempt AND kind = 'step'
         AND step_by_order = 1 AND (start_ns > @start_ns OR span_key > @span_key)`;
    // The tool calls of a moved turn (agent-turns.ts) sit under its step.
    const turnTools = `SELECT span_key FROM spans WHERE run_id = @run_id AND attempt = @attempt AND kind = 'tool'
       AND parent_span_id IN (SELECT span_id FROM spans WHERE span_key IN (${later}))`;
    // What was recorded on a moved step moves with it; its own row last (the others select by it).
    const shift = [
      db.prepare(
        `UPDATE failures SET step = step + 1 WHERE span_key IN (${later}) OR span_key IN (${turnTools})`,
      ),
      db.prepare(`UPDATE decisions SET step = step + 1 WHERE span_key IN (${later})`),
      db.prepare(`UPDATE spans SET step_index = step_index + 1 WHERE span_key IN (${later})`),
    ];
    this.shiftLater = (at) => shift.map((statement) => statement.run(at).changes).at(-1)!;
    this.refreshRun = db.prepare(
      `UPDATE runs SET (current_step, current_step_name) = (
         SELECT step_index, name FROM spans
         WHERE run_id = @run_id AND attempt = @attempt AND kind = 'step' AND step_index IS NOT NULL
         ORDER BY step_index DESC, start_ns DESC LIMIT 1)
       WHERE run_id = @run_id AND attempts = @attempt`,
    );
  }

  /**
   * The index of a step span stored for the first time, moving later ones. `moved` says whether
   * any did: the run's current step must then be read back (latest).
   */
  place(at: Place): {
    index: number;
    moved: boolean;
  } {
    const index = Number(this.countEarlier.get(at)) + 1;
    const moved = this.shiftLater(at) > 0;
    return { index, moved };
  }

  /** After steps moved: the run's current step is its attempt's highest-numbered one again. */
  refreshCurrentStep(runId: string, attempt: number): void {
    this.refreshRun.run({ run_id: runId, attempt });
  }
}
