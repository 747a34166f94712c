import { type Attributes, type Context, type Span, SpanKind } from "@opentelemetry/api";
import { preciseNow } from "../clock.js";
import {
  ATTR_CHECKPOINT_MISSING,
  ATTR_REQUEST_ID,
  ATTR_RUN_ATTEMPT,
  ATTR_RUN_ID,
  ATTR_RUN_INTERRUPTED,
  ATTR_RUN_NEXT_STEP_INDEX,
  ATTR_RUN_NEXT_STEP_NAME,
  ATTR_SPAN_KIND,
  ATTR_STEP_INDEX,
  ATTR_STEP_NAME,
  ATTR_STEP_OUTPUT,
  ATTR_STEP_OUTPUT_REDACTED,
  ATTR_STEP_REPLAYED,
} from "../conventions.js";
import { REDACTED, redactJson } from "../redact.js";
import type { RunState } from "../run-context.js";
import { settings } from "../settings.js";
import { getTracer } from "../tracer.js";
import { recordError, safely } from "../with-span.js";
import {
  type Acknowledgement,
  checkpointsAcknowledged,
  expectAck,
  forgetWaiter,
  suspendWaiting,
  waitingIsSuspended,
} from "./checkpoint-acks.js";
import { serializeCheckpoint } from "./checkpoint-value.js";
import { durabilityConfig } from "./config.js";
import { mayStart, remainingMs } from "./deadline.js";
import { CheckpointError, CheckpointMismatchError, DeadlineExceededError } from "./errors.js";
import { type DurableRun, durableRunOf } from "./run-durability.js";

/** How step() stores its result and, for a resumed run, whether it runs at all. */
export type StepCheckpoint<T> =
  | { replayed: true; value: T }
  | {
      replayed: false;
      /** Called with the result before the span ends: sets `flightrec.step.output`. */
      record(span: Span, value: unknown): void;
      /** Called with what runInSpan returned: waits for the acknowledgement. */
      settle(result: T): T;
    };

/**
 * Decides, before a step starts, whether it is replayed from a checkpoint, stopped by the
 * deadline (throws DeadlineExceededError) or executed and checkpointed.
 */
export function beginStep<T>(run: RunState | undefined, index: number, name: string, parent: Context) {
  const durable = durableRunOf(run);
  if (!run || !durable) return plainStep<T>();
  const recorded = durable.replay.get(index);
  if (recorded) {
    durable.replay.delete(index);
    if (recorded.name === name) {
      recordReplayedSpan(run, index, name, recorded.output, parent);
      return { replayed: true, value: recorded.output as T } satisfies StepCheckpoint<T>;
    }
    if (durable.options.onCheckpointMismatch !== "reexecute") {
      throw new CheckpointMismatchError(run.runId, index, recorded.name, name);
    }
    durable.replay.clear();
  }
  checkDeadline(durable, index, name);
  return checkpointedStep<T>(durable, index, name);
}

function plainStep<T>(): StepCheckpoint<T> {
  return {
    replayed: false,
    record: (span, value) => span.setAttributes(capturedOutput(value)),
    settle: (result) => result,
  };
}

function checkDeadline(durable: DurableRun, index: number, name: string): void {
  const deadline = durable.options.deadline;
  if (deadline === undefined) return;
  const remaining = remainingMs(deadline);
  const expected = durable.estimates[name];
  if (mayStart(remaining, expected)) return;
  durable.span.setAttributes({
    [ATTR_RUN_INTERRUPTED]: "deadline",
    [ATTR_RUN_NEXT_STEP_INDEX]: index,
    [ATTR_RUN_NEXT_STEP_NAME]: name,
  });
  throw new DeadlineExceededError(durable.runId, name, index, remaining, expected ?? 0);
}

function checkpointedStep<T>(durable: DurableRun, index: number, name: string): StepCheckpoint<T> {
  let failure: CheckpointError | undefined;
  let ack: Promise<Acknowledgement> | undefined;
  let spanId = "";
  const record = (span: Span, value: unknown) => {
    try {
      span.setAttributes(checkpointOutput(value, durabilityConfig().maxCheckpointChars));
    } catch (error) {
      failure = new CheckpointError(name, index, (error as Error).message);
      span.setAttributes(capturedOutput(value));
      recordError(span, failure);
      return;
    }
    spanId = span.spanContext().spanId;
    if (durable.options.waitForCheckpoints !== false && checkpointsAcknowledged()) ack = expectAck(spanId);
  };
  const unacknowledged = (reason = "not acknowledged") => {
    forgetWaiter(spanId);
    markMissing(durable, index, reason);
  };
  const confirm = async (): Promise<void> => {
    if (!ack) return;
    if (waitingIsSuspended() && !durable.options.strict) {
      // The collector is known to be slow or gone: learn the outcome without holding the agent.
      void withTimeout(ack, timeoutMs()).then((answer) => answer.acked || unacknowledged(answer.reason));
      return;
    }
    // Ends with the collector's answer: a refused or reset connection ends it at once.
    const answer = await withTimeout(ack, timeoutMs());
    if (answer.acked) return;
    suspendWaiting();
    unacknowledged(answer.reason);
    if (durable.options.strict) {
      throw new CheckpointError(
        name,
        index,
        "the collector did not acknowledge its checkpoint (strict mode)",
      );
    }
  };
  const settle = (result: T): T => {
    if (!isPromiseLike(result)) {
      if (failure) throw failure;
      void confirm().catch(() => {});
      return result;
    }
    return Promise.resolve(result).then(async (value) => {
      if (failure) throw failure;
      await confirm();
      return value;
    }) as T;
  };
  return { replayed: false, record, settle };
}

function recordReplayedSpan(run: RunState, index: number, name: string, output: unknown, parent: Context) {
  const now = preciseNow();
  const span = getTracer().startSpan(
    name,
    {
      kind: SpanKind.INTERNAL,
      startTime: now,
      attributes: {
        [ATTR_SPAN_KIND]: "step",
        [ATTR_STEP_NAME]: name,
        [ATTR_STEP_INDEX]: index,
        [ATTR_STEP_REPLAYED]: true,
        // Uncapped like the checkpoint it repeats.
        ...capturedOutput(output, Number.POSITIVE_INFINITY),
        [ATTR_RUN_ID]: run.runId,
        [ATTR_REQUEST_ID]: run.requestId,
        [ATTR_RUN_ATTEMPT]: run.attempt,
      },
    },
    parent,
  );
  span.end(now);
}

/** The output attributes of a step that is not checkpointed: redacted and size-capped. */
function capturedOutput(value: unknown, maxChars = settings.maxAttributeChars): Attributes {
  const { text, redacted } = redactJson(value ?? null, maxChars);
  return redacted
    ? { [ATTR_STEP_OUTPUT]: text, [ATTR_STEP_OUTPUT_REDACTED]: true }
    : { [ATTR_STEP_OUTPUT]: text };
}

/**
 * The output attributes of a checkpointed step. Throws when the result cannot be a
 * checkpoint. A redacted output is flagged so that resume runs the step again.
 */
function checkpointOutput(value: unknown, maxChars: number): Attributes {
  const exact = serializeCheckpoint(value, maxChars);
  const { text, redacted } = redactJson(value ?? null);
  if (!redacted) return { [ATTR_STEP_OUTPUT]: exact };
  // A user pattern may cut through JSON syntax; the collector must still parse the checkpoint.
  return {
    [ATTR_STEP_OUTPUT]: isJson(text) ? text : JSON.stringify(REDACTED),
    [ATTR_STEP_OUTPUT_REDACTED]: true,
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const timeoutMs = () => durabilityConfig().checkpointTimeoutMs;

let warned = false;
function markMissing(durable: DurableRun, index: number, why: string): void {
  durable.missing.push(index);
  safely(() => durable.span.setAttribute(ATTR_CHECKPOINT_MISSING, [...durable.missing]));
  if (warned) return;
  warned = true;
  console.warn(
    `[flightrec] the collector did not acknowledge the checkpoint of step ${index} of run "${durable.runId}" (${why}); ` +
      "the agent goes on, but a resume may run that step again",
  );
}

/** The collector's answer, or after `ms` the absence of one. */
function withTimeout(promise: Promise<Acknowledgement>, ms: number): Promise<Acknowledgement> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Acknowledgement>((resolve) => {
    timer = setTimeout(() => resolve({ acked: false, reason: `no answer within ${ms} ms` }), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}
