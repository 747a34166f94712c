import type Database from "better-sqlite3";
import type { InFlightStep } from "../durability.js";

type Row = Omit<InFlightStep, "step_name" | "derived">;

const SPAN_COLUMNS =
  "CAST(s.span_key AS TEXT) AS span_key, s.trace_id, s.span_id, s.kind, s.name, s.step_index, s.input";

// A step still running first (the highest), else the newest call still running.
const IN_FLIGHT_SQL = `
SELECT ${SPAN_COLUMNS} FROM spans AS s
WHERE s.run_id = ? AND s.attempt = ? AND s.status = 'running' AND s.kind <> 'run'
ORDER BY s.kind = 'step' DESC, s.step_index DESC, s.start_ns DESC LIMIT 1`;

// A graph's open node: a span not yet known as anything, since its instrumentation says what it is
// only when it ends (OpenInference's LangChain spans carry LangGraph's node and step in metadata set
// at the end). Either a child of the run span of a framework's run (its trace is the run), or a
// child of an open span of no kind directly under one of our run spans: a graph invoked inside
// run(), as @flightrec/langgraph's invokeAsRun does, whose run is the thread.
const OPEN_NODE_SQL = `
SELECT ${SPAN_COLUMNS} FROM spans AS s
JOIN spans AS parent ON parent.trace_id = s.trace_id AND parent.span_id = s.parent_span_id
LEFT JOIN spans AS grand ON grand.trace_id = parent.trace_id AND grand.span_id = parent.parent_span_id
WHERE s.run_id = @run_id AND s.attempt = @attempt AND s.status = 'running' AND s.kind = 'other'
  AND parent.run_id = @run_id AND parent.attempt = @attempt
  AND ((parent.kind = 'run' AND parent.trace_id = @run_id)
    OR (parent.kind = 'other' AND parent.status = 'running'
        AND grand.kind = 'run' AND grand.run_id = @run_id AND grand.attempt = @attempt))
ORDER BY s.start_ns DESC LIMIT 1`;

const STEP_AT_SQL = `
SELECT name FROM spans WHERE run_id = ? AND attempt = ? AND kind = 'step' AND step_index = ?
ORDER BY start_ns DESC LIMIT 1`;

const LATEST_STEP_SQL = `
SELECT step_index, name FROM spans
WHERE run_id = ? AND attempt = ? AND kind = 'step' AND step_index IS NOT NULL
ORDER BY step_index DESC, start_ns DESC LIMIT 1`;

/**
 * Finds where an attempt stopped. Our SDK's runs die inside a step span, which says its index
 * and name. A framework's run may die in a span that is no step:
 * - in an open node of a graph (known as a step only at its end): that node is the step in
 *   flight, after the last step on record (one of a super-step's parallel nodes that did finish
 *   would make this one too high);
 * - in a tool or model call of an agent loop: the step is the call's own (when the store placed
 *   it in one), else the attempt's latest step.
 */
export class InFlightSteps {
  private readonly inFlight: Database.Statement;
  private readonly openNode: Database.Statement;
  private readonly latestStep: Database.Statement;
  private readonly stepAt: Database.Statement;

  constructor(db: Database.Database) {
    this.inFlight = db.prepare(IN_FLIGHT_SQL);
    this.openNode = db.prepare(OPEN_NODE_SQL);
    this.latestStep = db.prepare(LATEST_STEP_SQL);
    this.stepAt = db.prepare(STEP_AT_SQL).pluck();
  }

  of(runId: string, attempt: number): InFlightStep | undefined {
    const span = this.inFlight.get(runId, attempt) as Row | undefined;
    if (!span) return undefined;
    if (span.kind === "step") return { ...span, step_name: span.name, derived: false };
    const latest = this.latestStep.get(runId, attempt) as { step_index: number; name: string } | undefined;
    const node = this.openNode.get({ run_id: runId, attempt }) as Row | undefined;
    if (node) {
      return { ...node, step_index: (latest?.step_index ?? 0) + 1, step_name: node.name, derived: true };
    }
    const index = span.step_index ?? latest?.step_index ?? null;
    const stepName =
      index === null ? null : ((this.stepAt.get(runId, attempt, index) as string | undefined) ?? null);
    return { ...span, step_index: index, step_name: stepName, derived: false };
  }
}
