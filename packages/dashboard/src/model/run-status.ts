import type { RunRow } from "../api/schemas";

/** When the collector last heard from a run: the newest time the API gives for it. */
export function lastSeen(run: RunRow): string | null {
  return run.last_seen_at ?? run.updated_at ?? run.ended_at ?? run.started_at;
}

/**
 * The reason the SDK gives for a run its deadline stopped between steps; the collector then
 * puts the run at the step it stopped before (docs/decisions/0003-crash-survival.md).
 */
const DEADLINE = "deadline";

/**
 * "stopped at step 5 · send_email · last seen 14:35:00" — where an interrupted run died; for a
 * deadline, "stopped before step 5 · …": the step it did not start, where resume continues.
 */
export function interruptedLabel(run: RunRow, formatClock: (iso: string) => string): string {
  const parts = ["stopped"];
  const where = run.error === DEADLINE ? "before" : "at";
  if (run.current_step !== null) parts[0] = `stopped ${where} step ${run.current_step}`;
  if (run.current_step_name) parts.push(run.current_step_name);
  const seen = lastSeen(run);
  if (seen) parts.push(`last seen ${formatClock(seen)}`);
  return parts.join(" · ");
}

/** A one-line description of where a run is, for the status column and the replay header. */
export function statusDetail(run: RunRow, formatClock: (iso: string) => string): string | null {
  switch (run.status) {
    case "interrupted":
      return interruptedLabel(run, formatClock);
    case "running":
      return run.current_step !== null
        ? `at step ${run.current_step}${run.current_step_name ? ` · ${run.current_step_name}` : ""}`
        : null;
    case "error":
      return run.current_step !== null
        ? `failed at step ${run.current_step}${run.current_step_name ? ` · ${run.current_step_name}` : ""}`
        : null;
    default:
      return null;
  }
}

/**
 * The run's error as shown: none for a run that ended ok, whatever failed inside it and was
 * recovered from (docs/decisions/0008-framework-steps.md; older stores kept such an error).
 */
export function runError(run: Pick<RunRow, "status" | "error">): string | null {
  return run.status === "ok" ? null : run.error;
}
