import { context, SpanKind, trace } from "@opentelemetry/api";
import { preciseNow } from "./clock.js";
import {
  ATTR_REQUEST_ID,
  ATTR_RUN_ATTEMPT,
  ATTR_RUN_ID,
  ATTR_SPAN_KIND,
  ATTR_STEP_INDEX,
  ATTR_STEP_NAME,
} from "./conventions.js";
import { beginStep } from "./durability/step-checkpoint.js";
import { recordFailureInput } from "./failure.js";
import { emptyUsage, runFrom, withStep } from "./run-context.js";
import { getTracer } from "./tracer.js";
import { runInSpan } from "./with-span.js";

/**
 * One named step of a run. Its result is recorded as the step's checkpoint
 * (`flightrec.step.output`). Outside a run it still records a span, without a run ID.
 */
export function step<T>(name: string, fn: () => T): T {
  const parent = context.active();
  const run = runFrom(parent);
  const index = run ? run.nextStepIndex++ : 0;
  // Replayed from a checkpoint on resume, stopped by a deadline, or executed and checkpointed.
  const checkpoint = beginStep<T>(run, index, name, parent);
  if (checkpoint.replayed) return checkpoint.value;
  const span = getTracer().startSpan(
    name,
    {
      kind: SpanKind.INTERNAL,
      startTime: preciseNow(),
      attributes: {
        [ATTR_SPAN_KIND]: "step",
        [ATTR_STEP_NAME]: name,
        [ATTR_STEP_INDEX]: index,
        ...(run
          ? { [ATTR_RUN_ID]: run.runId, [ATTR_REQUEST_ID]: run.requestId, [ATTR_RUN_ATTEMPT]: run.attempt }
          : {}),
      },
    },
    parent,
  );
  const ctx = trace.setSpan(withStep(parent, { name, index, span, usage: emptyUsage() }), span);
  const result = runInSpan(span, ctx, fn, {
    onSuccess: (s, value) => checkpoint.record(s, value),
    onError: (s) => recordFailureInput(s, undefined, run),
  });
  return checkpoint.settle(result);
}
