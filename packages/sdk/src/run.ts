import { randomUUID } from "node:crypto";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { preciseNow } from "./clock.js";
import {
  ATTR_REQUEST_ID,
  ATTR_RUN_ATTEMPT,
  ATTR_RUN_ID,
  ATTR_RUN_INPUT,
  ATTR_RUN_OUTPUT,
  ATTR_SPAN_KIND,
  GEN_AI_AGENT_NAME,
  GEN_AI_CONVERSATION_ID,
  GEN_AI_OPERATION,
  GEN_AI_OPERATION_NAME,
} from "./conventions.js";
import {
  attachDurability,
  attemptFor,
  type DurableRunOptions,
  linksFor,
  needsPreparation,
  prepareRun,
  validateDurableRunOptions,
} from "./durability/run-durability.js";
import { flushAfterDeadline } from "./durability/run-end.js";
import { recordFailureInput } from "./failure.js";
import { captureJson } from "./redact.js";
import { emptyUsage, type RunState, withRun } from "./run-context.js";
import { getTracer } from "./tracer.js";
import { runInSpan } from "./with-span.js";

export interface RunOptions extends DurableRunOptions {
  /** The user's ID for this unit of work (e.g. `task-123`); generated when absent. */
  runId?: string;
  /** The request this run serves; generated when absent. */
  requestId?: string;
  /** The run's input, recorded on the run span. */
  input?: unknown;
}

/** Wraps one execution of an agent: every step, LLM and tool call inside belongs to it. */
export function run<T>(name: string, options: RunOptions, fn: () => T): T {
  validateDurableRunOptions(options);
  // Resume and deadlines first ask the collector (checkpoints, step durations).
  if (needsPreparation(options)) return prepareRun(name, options).then((ready) => run(name, ready, fn)) as T;
  const state: RunState = {
    name,
    runId: options.runId ?? randomUUID(),
    requestId: options.requestId ?? randomUUID(),
    attempt: attemptFor(options),
    nextStepIndex: 1,
    capturedInput: options.input === undefined ? undefined : captureJson(options.input),
    usage: emptyUsage(),
  };
  // A run is a root span: one trace per attempt, whatever span the caller is in.
  const span = getTracer().startSpan(`${GEN_AI_OPERATION.invokeAgent} ${name}`, {
    root: true,
    kind: SpanKind.INTERNAL,
    startTime: preciseNow(),
    links: linksFor(options),
    attributes: {
      [ATTR_SPAN_KIND]: "run",
      [GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.invokeAgent,
      [GEN_AI_AGENT_NAME]: name,
      [GEN_AI_CONVERSATION_ID]: state.runId,
      [ATTR_RUN_ID]: state.runId,
      [ATTR_REQUEST_ID]: state.requestId,
      [ATTR_RUN_ATTEMPT]: state.attempt,
      ...(state.capturedInput === undefined ? {} : { [ATTR_RUN_INPUT]: state.capturedInput }),
    },
  });
  attachDurability(state, span, options);
  const ctx = trace.setSpan(withRun(context.active(), state), span);
  return flushAfterDeadline(
    runInSpan(span, ctx, fn, {
      onSuccess: (s, value) => {
        if (value !== undefined) s.setAttribute(ATTR_RUN_OUTPUT, captureJson(value));
      },
      onError: (s) => recordFailureInput(s, state.capturedInput, state),
    }),
  );
}
