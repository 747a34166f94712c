import * as C from "@flightrec/sdk/conventions";
import type pg from "pg";
import type { StepToName } from "../call-named-step.js";
import { KEY_RANGE_SQL, MAX_KEY_PROBES, spanKey } from "../span-key.js";
import { jsonIsOne, jsonText } from "./json-sql.js";

const DECIDED = jsonText("attributes", C.ATTR_STEP_DECIDED);

/** The step at the keys its span ID probes, if it is one named by its model call. */
const STEP_SQL = `SELECT span_key::text AS span_key, run_id, attempt, step_index, name FROM spans
  WHERE span_key = ANY($1::bigint[]) AND trace_id = $2 AND span_id = $3
    AND kind = 'step' AND ${jsonIsOne("attributes", C.ATTR_STEP_NAMED_BY_CALL)}`;

/** The step's latest model call that decided something, among its trace's keys (span-key.ts). */
const DECIDED_CALL_SQL = `SELECT ${DECIDED} AS name FROM spans
  WHERE span_key BETWEEN ${KEY_RANGE_SQL.first("$1::bigint")} AND ${KEY_RANGE_SQL.last("$1::bigint")}
    AND trace_id = $2 AND parent_span_id = $3 AND kind = 'llm' AND ${DECIDED} IS NOT NULL
  ORDER BY start_ns DESC, span_key DESC LIMIT 1`;

interface Step {
  span_key: string;
  run_id: string | null;
  attempt: number;
  step_index: number | null;
  name: string;
}

/**
 * Names a batch's steps that their source names only by number by what their model call
 * decided, in whichever order the two arrived (store/sqlite/call-named-steps.ts); after the
 * runs' rows took the batch, whose step names it corrects. The caller holds the traces' locks.
 */
export async function nameStepsByCall(client: pg.ClientBase, steps: Iterable<StepToName>): Promise<void> {
  for (const at of steps) {
    const keys = Array.from({ length: MAX_KEY_PROBES }, (_, probe) => spanKey(at.base, at.spanId, probe));
    const step = (await client.query<Step>(STEP_SQL, [keys, at.traceId, at.spanId])).rows[0];
    if (!step) continue;
    const { rows } = await client.query<{ name: string }>(DECIDED_CALL_SQL, [at.base, at.traceId, at.spanId]);
    const name = rows[0]?.name;
    if (name === undefined || name === step.name) continue;
    await client.query("UPDATE spans SET name = $1 WHERE span_key = $2", [name, step.span_key]);
    await client.query("UPDATE failures SET name = $1 WHERE span_key = $2", [name, step.span_key]);
    if (step.run_id === null || step.step_index === null) continue;
    await client.query(
      "UPDATE runs SET current_step_name = $1 WHERE run_id = $2 AND attempts = $3 AND current_step = $4",
      [name, step.run_id, step.attempt, step.step_index],
    );
  }
}
