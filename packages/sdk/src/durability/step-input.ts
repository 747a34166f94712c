import { context, trace } from "@opentelemetry/api";
import { ATTR_STEP_INPUT } from "../conventions.js";
import { stepFrom } from "../run-context.js";
import { toJsonAttribute } from "../serialize.js";
import { safely } from "../with-span.js";

/**
 * Records what the current step is working on (`flightrec.step.input`). Call it directly in
 * the step's function, before the slow or risky part: the step's pending placeholder carries
 * it, so a run killed inside the step still shows — and keeps in `failures` — its input.
 */
export function recordStepInput(input: unknown): void {
  const ctx = context.active();
  if (!stepFrom(ctx)) return;
  const span = trace.getSpan(ctx);
  if (span) safely(() => span.setAttribute(ATTR_STEP_INPUT, toJsonAttribute(input)));
}
