import * as C from "@flightrec/sdk/conventions";
import type pg from "pg";
import { durationMs, nsToIso } from "../time.js";
import { jsonText } from "./json-sql.js";
import { namedSql } from "./named-sql.js";

/** A stored span, as the turn statements need it. */
export interface TurnSpan {
  run_id: string;
  attempt: number;
  span_key: bigint;
  span_id: string;
  parent_span_id: string | null;
  start_ns: bigint;
}

const OPENED = `${jsonText("attributes", C.ATTR_STEP_OPENED_BY)} IS NOT NULL`;
const SIBLING_STEPS = `FROM spans WHERE run_id = @run_id AND attempt = @attempt::int AND kind = 'step'
  AND parent_span_id = @parent_span_id::text AND ${OPENED}`;

const STEP_BEFORE = namedSql(
  `SELECT span_id, span_key::text AS span_key, step_index ${SIBLING_STEPS} AND start_ns <= @start_ns::bigint
   ORDER BY start_ns < @start_ns::bigint DESC, start_ns DESC, span_key DESC LIMIT 1`,
);
const TOOLS_OF_TURN = namedSql(
  `UPDATE spans SET parent_span_id = @step_id
   WHERE run_id = @run_id AND attempt = @attempt::int AND kind = 'tool'
     AND (start_ns > @start_ns::bigint
          OR (start_ns = @start_ns::bigint AND NOT EXISTS (SELECT 1 ${SIBLING_STEPS} AND start_ns < @start_ns::bigint)))
     AND (parent_span_id = @parent_span_id::text OR parent_span_id IN (SELECT span_id ${SIBLING_STEPS}))
     AND start_ns <= coalesce((SELECT min(start_ns) ${SIBLING_STEPS} AND start_ns > @start_ns::bigint),
                              9223372036854775807)
   RETURNING span_key::text AS span_key, end_ns::text AS end_ns`,
);

/**
 * Turns of a framework's agent loop: a step opened by a model call and the tool calls after it
 * (store/sqlite/agent-turns.ts). The caller holds the lock of the spans' trace.
 */
export class AgentTurns {
  constructor(private readonly client: pg.ClientBase) {}

  /** A tool call stored: it joins the turn it started in, if its parent holds turns. */
  async joinTool(tool: TurnSpan, endNs: bigint | null): Promise<void> {
    if (tool.parent_span_id === null) return;
    const { rows } = await this.client.query<{
      span_id: string;
      span_key: string;
      step_index: number | null;
    }>(STEP_BEFORE.text, STEP_BEFORE.values(tool));
    const step = rows[0];
    if (!step) return;
    await this.client.query("UPDATE spans SET parent_span_id = $1 WHERE span_key = $2", [
      step.span_id,
      tool.span_key,
    ]);
    if (step.step_index !== null) await this.numberFailure(step.step_index, tool.span_key);
    await this.extendStep(BigInt(step.span_key), endNs);
  }

  /** A step that opens a turn stored: the tool calls of its turn move under it. */
  async gatherTools(step: TurnSpan, stepIndex: number | null): Promise<void> {
    if (step.parent_span_id === null) return;
    const { rows } = await this.client.query<{ span_key: string; end_ns: string | null }>(
      TOOLS_OF_TURN.text,
      TOOLS_OF_TURN.values({ ...step, step_id: step.span_id }),
    );
    for (const tool of rows) {
      if (stepIndex !== null) await this.numberFailure(stepIndex, BigInt(tool.span_key));
      await this.extendStep(step.span_key, tool.end_ns === null ? null : BigInt(tool.end_ns));
    }
  }

  private async numberFailure(step: number, key: bigint): Promise<void> {
    await this.client.query("UPDATE failures SET step = $1 WHERE span_key = $2", [step, key]);
  }

  /** A turn lasts until its last tool call ends. */
  private async extendStep(stepKey: bigint, endNs: bigint | null): Promise<void> {
    if (endNs === null) return;
    const { rows } = await this.client.query<{ start_ns: string; end_ns: string | null }>(
      "SELECT start_ns::text AS start_ns, end_ns::text AS end_ns FROM spans WHERE span_key = $1",
      [stepKey],
    );
    const step = rows[0]!;
    if (step.end_ns === null || BigInt(step.end_ns) >= endNs) return;
    await this.client.query(
      "UPDATE spans SET end_ns = $1, ended_at = $2, duration_ms = $3 WHERE span_key = $4",
      [endNs, nsToIso(endNs), durationMs(BigInt(step.start_ns), endNs), stepKey],
    );
  }
}
