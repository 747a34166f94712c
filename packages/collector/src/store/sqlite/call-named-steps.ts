import * as C from "@flightrec/sdk/conventions";
import type Database from "better-sqlite3";
import type { StepToName } from "../call-named-step.js";
import { KEY_RANGE_SQL, MAX_KEY_PROBES, spanKey } from "../span-key.js";

const DECIDED = `json_extract(attributes, '$."${C.ATTR_STEP_DECIDED}"')`;

/** The step's latest model call that decided something, among its trace's keys (span-key.ts). */
const DECIDED_CALL_SQL = `SELECT ${DECIDED} FROM spans
  WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("@base")} AND ${KEY_RANGE_SQL.last("@base")}
    AND trace_id = @trace_id AND parent_span_id = @span_id AND kind = 'llm' AND ${DECIDED} IS NOT NULL
  ORDER BY start_ns DESC, span_key DESC LIMIT 1`;

/** The step at the keys its span ID probes, if it is one named by its model call. */
const STEP_SQL = `SELECT span_key, run_id, attempt, step_index, name FROM spans
  WHERE span_key IN (${Array(MAX_KEY_PROBES).fill("?").join(", ")}) AND trace_id = ? AND span_id = ?
    AND kind = 'step' AND json_extract(attributes, '$."${C.ATTR_STEP_NAMED_BY_CALL}"') IS 1`;

interface Step {
  span_key: bigint;
  run_id: string | null;
  attempt: bigint;
  step_index: bigint | null;
  name: string;
}

/**
 * Names the steps a source names only by number by what their model call decided
 * (normalize/call-named-step.ts). The call usually ends, and arrives, before its step, but may
 * come after it or in the same batch, and either may be sent again (a step's placeholder, then
 * the step): so after each batch, each such step it touched takes the name of its latest model
 * call that decided something, whichever came first, and the run's current step follows.
 */
export class CallNamedSteps {
  private readonly step: Database.Statement;
  private readonly decidedCall: Database.Statement;
  private readonly renameSpan: Database.Statement;
  private readonly renameFailure: Database.Statement;
  private readonly renameCurrentStep: Database.Statement;

  constructor(db: Database.Database) {
    this.step = db.prepare(STEP_SQL).safeIntegers();
    this.decidedCall = db.prepare(DECIDED_CALL_SQL).pluck();
    this.renameSpan = db.prepare("UPDATE spans SET name = ? WHERE span_key = ?");
    this.renameFailure = db.prepare("UPDATE failures SET name = ? WHERE span_key = ?");
    this.renameCurrentStep = db.prepare(
      `UPDATE runs SET current_step_name = @name
       WHERE run_id = @run_id AND attempts = @attempt AND current_step = @step_index`,
    );
  }

  /** Names a batch's steps; after the runs' rows took the batch, whose step names it corrects. */
  name(steps: Iterable<StepToName>): void {
    for (const at of steps) {
      const keys = Array.from({ length: MAX_KEY_PROBES }, (_, probe) => spanKey(at.base, at.spanId, probe));
      const step = this.step.get(...keys, at.traceId, at.spanId) as Step | undefined;
      if (!step) continue;
      const params = { base: at.base, trace_id: at.traceId, span_id: at.spanId };
      const name = this.decidedCall.get(params) as string | undefined;
      if (name === undefined || name === step.name) continue;
      this.renameSpan.run(name, step.span_key);
      this.renameFailure.run(name, step.span_key);
      if (step.run_id === null || step.step_index === null) continue;
      this.renameCurrentStep.run({
        name,
        run_id: step.run_id,
        attempt: step.attempt,
        step_index: step.step_index,
      });
    }
  }
}
