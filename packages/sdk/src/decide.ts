import { context, trace } from "@opentelemetry/api";
import { preciseNow } from "./clock.js";
import {
  ATTR_COST_USD,
  ATTR_DECISION_ACTION,
  ATTR_DECISION_DETAILS,
  ATTR_DECISION_REASONING,
  ATTR_STEP_INDEX,
  EVENT_DECISION,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
} from "./conventions.js";
import { captureJson, captureText } from "./redact.js";
import { runFrom, stepFrom } from "./run-context.js";
import { safely } from "./with-span.js";

export interface Decision {
  /** What the agent chose to do, e.g. `send_email`. */
  action: string;
  /** Why, in the agent's (or model's) words. */
  reasoning?: string;
  /** Anything else worth keeping: confidence, alternatives, … (recorded as JSON). */
  [detail: string]: unknown;
}

let warnedMisuse = false;

/**
 * Records a decision on the current step (or run), with the tokens and cost the step had
 * spent when it was taken. Never throws: a decision outside any span is dropped.
 */
export function decide(decision: Decision): void {
  if (typeof decision?.action !== "string" || decision.action === "") {
    if (!warnedMisuse) console.warn("[flightrec] decide() ignored: `action` must be a non-empty string");
    warnedMisuse = true;
    return;
  }
  safely(() => {
    const active = context.active();
    const step = stepFrom(active);
    const span = step?.span ?? trace.getSpan(active);
    if (!span) return;
    const usage = step?.usage ?? runFrom(active)?.usage;
    const { action, reasoning, ...details } = decision;
    span.addEvent(
      EVENT_DECISION,
      {
        [ATTR_DECISION_ACTION]: captureText(action),
        ...(typeof reasoning === "string" ? { [ATTR_DECISION_REASONING]: captureText(reasoning) } : {}),
        ...(Object.keys(details).length ? { [ATTR_DECISION_DETAILS]: captureJson(details) } : {}),
        ...(step ? { [ATTR_STEP_INDEX]: step.index } : {}),
        ...(usage
          ? {
              [GEN_AI_USAGE_INPUT_TOKENS]: usage.inputTokens,
              [GEN_AI_USAGE_OUTPUT_TOKENS]: usage.outputTokens,
              [ATTR_COST_USD]: usage.costUsd,
            }
          : {}),
      },
      preciseNow(),
    );
  });
}
