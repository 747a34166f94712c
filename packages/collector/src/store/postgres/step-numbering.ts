import type pg from "pg";
import { namedSql } from "./named-sql.js";

interface Place {
  run_id: string;
  attempt: number;
  start_ns: bigint;
  span_key: bigint;
}

const COUNT_EARLIER = namedSql(
  `SELECT count(*) AS n FROM spans WHERE run_id = @run_id AND start_ns <= @start_ns::bigint AND attempt = @attempt::int
     AND kind = 'step' AND (start_ns < @start_ns::bigint OR span_key < @span_key::bigint)`,
);
const LATER = `SELECT span_key FROM spans
   WHERE run_id = @run_id AND start_ns >= @start_ns::bigint AND attempt = @attempt::int AND kind = 'step'
     AND step_by_order = 1 AND (start_ns > @start_ns::bigint OR span_key > @span_key::bigint)`;
const TURN_TOOLS = `SELECT span_key FROM spans WHERE run_id = @run_id AND attempt = @attempt::int AND kind = 'tool'
   AND parent_span_id IN (SELECT span_id FROM spans WHERE span_key IN (${LATER}))`;
const SHIFT = [
  `UPDATE failures SET step = step + 1 WHERE span_key IN (${LATER}) OR span_key IN (${TURN_TOOLS})`,
  `UPDATE decisions SET step = step + 1 WHERE span_key IN (${LATER})`,
  `UPDATE spans SET step_index = step_index + 1 WHERE span_key IN (${LATER})`,
].map(namedSql);
const REFRESH_RUN = namedSql(
  `UPDATE runs SET (current_step, current_step_name) = (
     SELECT step_index, name FROM spans
     WHERE run_id = @run_id AND attempt = @attempt::int AND kind = 'step' AND step_index IS NOT NULL
     ORDER BY step_index DESC, start_ns DESC LIMIT 1)
   WHERE run_id = @run_id AND attempts = @attempt::int`,
);

/**
 * Numbers the step spans whose source gave no index, by start time (store/sqlite/step-numbering.ts).
 * The caller holds the lock of the step's trace, so two collectors never number one attempt at once.
 */
export async function placeStep(
  client: pg.ClientBase,
  at: Place,
): Promise<{ index: number; moved: boolean }> {
  const { rows } = await client.query<{ n: number }>(COUNT_EARLIER.text, COUNT_EARLIER.values(at));
  const index = rows[0]!.n + 1;
  let moved = 0;
  for (const statement of SHIFT)
    moved = (await client.query(statement.text, statement.values(at))).rowCount ?? 0;
  return { index, moved: moved > 0 };
}

/** After steps moved: the run's current step is its attempt's highest-numbered one again. */
export async function refreshCurrentStep(
  client: pg.ClientBase,
  runId: string,
  attempt: number,
): Promise<void> {
  await client.query(REFRESH_RUN.text, REFRESH_RUN.values({ run_id: runId, attempt }));
}
