import type { SpanRecord } from "../domain.js";
import { nsToIso } from "./time.js";

/**
 * What one batch changes in one run. Rolled up from the batch alone, then merged into the
 * `runs` row by ROLLUP_RUN_SQL, so the cost of a batch never depends on how many spans its
 * runs already have.
 */
export interface RunDelta {
  runId: string;
  traceId: string;
  name: string | null;
  service: string | null;
  requestId: string | null;
  attempt: number;
  startNs: bigint;
  lastNs: bigint;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** The root span of `attempt` in this batch: it decides status and end. */
  root: SpanRecord | null;
  /** Step spans of `attempt` first stored by this batch. */
  newSteps: number;
  currentStep: { index: number; name: string } | null;
  /** Message of the latest failed span of `attempt` in this batch. */
  error: { message: string; atNs: bigint } | null;
}

export interface PreviousSpan {
  status: string;
  kind: string;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
}

export function emptyDelta(runId: string, span: SpanRecord): RunDelta {
  return {
    runId,
    traceId: span.traceId,
    name: null,
    service: null,
    requestId: null,
    attempt: span.attempt,
    startNs: span.startNs,
    lastNs: span.endNs ?? span.startNs,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    root: null,
    newSteps: 0,
    currentStep: null,
    error: null,
  };
}

/** Folds one stored span into its run's delta; `previous` is the row it replaced, if any. */
export function addToDelta(
  d: RunDelta,
  span: SpanRecord,
  previous: PreviousSpan | undefined,
  isRoot: boolean,
): void {
  // A framework's name for the run counts where the trace is that run, not inside one of ours.
  const named = span.runId !== null || d.runId === span.traceId ? span.runName : null;
  d.name ??= named ?? (isRoot ? span.name : null);
  d.service ??= span.service;
  d.requestId ??= span.requestId;
  if (span.startNs < d.startNs) d.startNs = span.startNs;
  const last = span.endNs ?? span.startNs;
  if (last > d.lastNs) d.lastNs = last;
  if (span.kind === "llm" || previous?.kind === "llm") addUsage(d, span, previous);
  if (span.attempt > d.attempt) {
    Object.assign(d, { attempt: span.attempt, root: null, newSteps: 0, currentStep: null, error: null });
  }
  if (span.attempt < d.attempt) return;
  if (isRoot && (d.root === null || d.root.status === "running")) d.root = span;
  if (span.kind === "step" && span.stepIndex !== null) {
    // A framework's node arrives first as a placeholder of no kind (its kind comes at its end).
    if (previous?.kind !== "step") d.newSteps++;
    if (!d.currentStep || span.stepIndex >= d.currentStep.index) {
      d.currentStep = { index: span.stepIndex, name: span.name };
    }
  }
  if (span.status === "error" && span.errorMessage && (!d.error || span.startNs >= d.error.atNs)) {
    d.error = { message: span.errorMessage, atNs: span.startNs };
  }
}

function addUsage(d: RunDelta, span: SpanRecord, previous: PreviousSpan | undefined): void {
  const now = span.kind === "llm" ? span : null;
  const before = previous?.kind === "llm" ? previous : null;
  const diff = (a: number | null | undefined, b: number | null | undefined) =>
    a == null && b == null ? null : (a ?? 0) - (b ?? 0);
  const add = (acc: number | null, x: number | null) => (x === null ? acc : (acc ?? 0) + x);
  d.inputTokens = add(d.inputTokens, diff(now?.inputTokens, before?.input_tokens));
  d.outputTokens = add(d.outputTokens, diff(now?.outputTokens, before?.output_tokens));
  d.costUsd = add(d.costUsd, diff(now?.costUsd, before?.cost_usd));
}

export function deltaParams(d: RunDelta, now: string) {
  const root = d.root;
  const finished = root !== null && root.status !== "running" && root.endNs !== null;
  return {
    run_id: d.runId,
    trace_id: d.traceId,
    name: d.name,
    service: d.service,
    request_id: d.requestId,
    attempt: d.attempt,
    start_ns: d.startNs,
    started_at: nsToIso(d.startNs),
    last_ns: d.lastNs,
    root_status: root ? root.status : null,
    ended_at: finished ? nsToIso(root.endNs!) : null,
    finished: finished ? 1 : 0,
    new_steps: d.newSteps,
    current_step: d.currentStep?.index ?? null,
    current_step_name: d.currentStep?.name ?? null,
    // A run that ended ok recovered from whatever failed inside it: that stays on its span.
    error: finished && root.status === "ok" ? null : (root?.errorMessage ?? d.error?.message ?? null),
    input_tokens: d.inputTokens,
    output_tokens: d.outputTokens,
    cost_usd: d.costUsd,
    now,
  };
}
export type RunDeltaParams = ReturnType<typeof deltaParams>;
