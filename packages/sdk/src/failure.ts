import type { Span } from "@opentelemetry/api";
import { ATTR_FAILURE_INPUT, ATTR_RUN_INPUT } from "./conventions.js";
import type { RunState } from "./run-context.js";

/**
 * Marks a failing span with what reproduces the failure: the input it was called with
 * (already captured: redacted, size-capped JSON) and its run's input as context.
 */
export function recordFailureInput(
  span: Span,
  capturedInput: string | undefined,
  run: RunState | undefined,
): void {
  if (capturedInput !== undefined) span.setAttribute(ATTR_FAILURE_INPUT, capturedInput);
  if (run?.capturedInput !== undefined) span.setAttribute(ATTR_RUN_INPUT, run.capturedInput);
}
