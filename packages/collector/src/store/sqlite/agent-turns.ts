import * as C from "@flightrec/sdk/conventions";
import type Database from "better-sqlite3";
import { durationMs, nsToIso } from "../time.js";

/** A stored span, as the turn statements need it. */
export interface TurnSpan {
  run_id: string;
  attempt: number;
  span_key: bigint;
  span_id: string;
  parent_span_id: string | null;
  start_ns: bigint;
}

const OPENED = `json_extract(attributes, '$."${C.ATTR_STEP_OPENED_BY}"') IS NOT NULL`;
const SIBLING_STEPS = `FROM spans WHERE run_id = @run_id AND attempt = @attempt AND kind = 'step'
  AND parent_span_id = @parent_span_id AND ${OPENED}`;

/**
 * A turn of a framework's agent loop: a step opened by a model call (normalize/opened-step.ts)
 * and the tool calls that follow it under the same parent, up to the next such step. The tools
 * are moved under their step (in `spans.parent_span_id`; the attributes keep what was sent) and
 * their failures take its number. Decided by start times alone, so a tool that arrives before
 * its step joins it when the step comes, and any order of arrival gives the same turns.
 * OpenTelemetry JS stamps a span's start from Date.now(), to the millisecond, so a tool and the
 * next model call can start "at once": a tie goes to the earlier turn (a tool can end within
 * the millisecond the next call starts; a model call rarely answers within the one it began),
 * and to the tied turn only when there is no earlier one.
 */
export class AgentTurns {
  private readonly stepBefore: Database.Statement;
  private readonly moveTool: Database.Statement;
  private readonly toolsOfTurn: Database.Statement;
  private readonly numberFailure: Database.Statement;
  private readonly stepTimes: Database.Statement;
  private readonly setStepEnd: Database.Statement;

  constructor(db: Database.Database) {
    this.stepBefore = db
      .prepare(
        `SELECT span_id, span_key, step_index ${SIBLING_STEPS} AND start_ns <= @start_ns
         ORDER BY start_ns < @start_ns DESC, start_ns DESC, span_key DESC LIMIT 1`,
      )
      .safeIntegers();
    this.moveTool = db.prepare("UPDATE spans SET parent_span_id = @step_id WHERE span_key = @span_key");
    this.toolsOfTurn = db
      .prepare(
        `UPDATE spans SET parent_span_id = @step_id
         WHERE run_id = @run_id AND attempt = @attempt AND kind = 'tool'
           AND (start_ns > @start_ns
                OR (start_ns = @start_ns AND NOT EXISTS (SELECT 1 ${SIBLING_STEPS} AND start_ns < @start_ns)))
           AND (parent_span_id = @parent_span_id OR parent_span_id IN (SELECT span_id ${SIBLING_STEPS}))
           AND start_ns <= coalesce((SELECT min(start_ns) ${SIBLING_STEPS} AND start_ns > @start_ns),
                                    9223372036854775807)
         RETURNING span_key, end_ns`,
      )
      .safeIntegers();
    this.numberFailure = db.prepare("UPDATE failures SET step = ? WHERE span_key = ?");
    this.stepTimes = db.prepare("SELECT start_ns, end_ns FROM spans WHERE span_key = ?").safeIntegers();
    this.setStepEnd = db.prepare(
      "UPDATE spans SET end_ns = ?, ended_at = ?, duration_ms = ? WHERE span_key = ?",
    );
  }

  /** A tool call stored: it joins the turn it started in, if its parent holds turns. */
  joinTool(tool: TurnSpan, endNs: bigint | null): void {
    if (tool.parent_span_id === null) return;
    const step = this.stepBefore.get(tool) as
      | { span_id: string; span_key: bigint; step_index: bigint | null }
      | undefined;
    if (!step) return;
    this.moveTool.run({ step_id: step.span_id, span_key: tool.span_key });
    if (step.step_index !== null) this.numberFailure.run(step.step_index, tool.span_key);
    this.extendStep(step.span_key, endNs);
  }

  /** A step that opens a turn stored: the tool calls of its turn move under it. */
  gatherTools(step: TurnSpan, stepIndex: number | null): void {
    if (step.parent_span_id === null) return;
    const moved = this.toolsOfTurn.all({ ...step, step_id: step.span_id }) as {
      span_key: bigint;
      end_ns: bigint | null;
    }[];
    for (const tool of moved) {
      if (stepIndex !== null) this.numberFailure.run(stepIndex, tool.span_key);
      this.extendStep(step.span_key, tool.end_ns);
    }
  }

  /** A turn lasts until its last tool call ends. */
  private extendStep(stepKey: bigint, endNs: bigint | null): void {
    if (endNs === null) return;
    const step = this.stepTimes.get(stepKey) as { start_ns: bigint; end_ns: bigint | null };
    if (step.end_ns === null || step.end_ns >= endNs) return;
    this.setStepEnd.run(endNs, nsToIso(endNs), durationMs(step.start_ns, endNs), stepKey);
  }
}
