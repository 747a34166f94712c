import * as C from "@flightrec/sdk/conventions";
import type { SpanKindName, SpanRecord, SpanStatus } from "../domain.js";
import { isStepNamedByItsCall, stepCallDecision } from "./mappings.js";
import { decidedStepName } from "./opened-step.js";
import type { Attributes } from "./pick.js";

/** What a span says toward naming a step by its model call (STEPS_NAMED_BY_THEIR_CALL). */
export type CallNaming = Pick<SpanRecord, "namedByCall" | "decidedStep">;

/**
 * A step named by its model call is marked as one; a model call that decided something carries
 * the step name its decision implies. The store pairs the two, in whichever order they arrive.
 */
export function callNaming(
  attrs: Attributes,
  kind: SpanKindName,
  status: SpanStatus,
  spanName: string,
): CallNaming | null {
  if (kind === "step") return isStepNamedByItsCall(attrs, spanName) ? { namedByCall: true } : null;
  const decided = kind === "llm" ? stepCallDecision(attrs) : null;
  const name = decided && decidedStepName({ status }, decided);
  return name ? { decidedStep: name } : null;
}

/** The same, as the attributes stored with the span, which the store reads back. */
export function callNamingAttributes(naming: CallNaming): Attributes {
  const attrs: Attributes = {};
  if (naming.namedByCall) attrs[C.ATTR_STEP_NAMED_BY_CALL] = true;
  if (naming.decidedStep) attrs[C.ATTR_STEP_DECIDED] = naming.decidedStep;
  return attrs;
}
