import type { Attributes } from "@opentelemetry/api";
import { ATTR_REQUEST_ID, ATTR_RUN_ATTEMPT, ATTR_RUN_ID, ATTR_STEP_INDEX } from "./conventions.js";
import type { RunState, StepState } from "./run-context.js";

/** The run (and step) a span belongs to, so each span can be placed without its parents. */
export function runAttributes(run: RunState | undefined, step?: StepState): Attributes {
  return addRunAttributes({}, run, step);
}

/** Same as runAttributes, written into `attributes` (no copy on hot paths). */
export function addRunAttributes(
  attributes: Attributes,
  run: RunState | undefined,
  step?: StepState,
): Attributes {
  if (!run) return attributes;
  attributes[ATTR_RUN_ID] = run.runId;
  attributes[ATTR_REQUEST_ID] = run.requestId;
  attributes[ATTR_RUN_ATTEMPT] = run.attempt;
  if (step) attributes[ATTR_STEP_INDEX] = step.index;
  return attributes;
}
