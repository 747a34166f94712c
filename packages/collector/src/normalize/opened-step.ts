import * as C from "@flightrec/sdk/conventions";
import type { SpanRecord } from "../domain.js";
import type { ModelDecision } from "./mappings.js";

/**
 * The step a model call opens when it is one iteration of a framework's agent loop (Vercel AI
 * SDK v4–v6 send no span per iteration, only its model call and tool calls as siblings), with
 * the call moved under it. The step's span ID is the call's, bit-inverted: every copy of the
 * call (a placeholder, a retried batch) derives the same step, in any order. The store numbers
 * the step by start time and moves the tool calls that follow it under it (agent-turns.ts).
 */
export function withOpenedStep(call: SpanRecord, decided: ModelDecision): [SpanRecord, SpanRecord] {
  const stepId = invertedId(call.spanId);
  const step: SpanRecord = {
    ...call,
    spanId: stepId,
    runName: null,
    kind: "step",
    name: stepName(call, decided),
    errorMessage: null,
    stepIndex: null,
    model: null,
    provider: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    input: null,
    output: null,
    attributes: JSON.stringify({ [C.ATTR_STEP_OPENED_BY]: call.spanId }),
    decisions: [],
    failure: null,
    opensTurn: true,
    decidedStep: undefined, // the call's, whose step this is and is named so already
  };
  return [step, { ...call, parentSpanId: stepId }];
}

/**
 * A step is named by what its model call decided: the tools it called, else "answer" when it
 * stopped with its answer, else its finish reason; a call still running or failed has decided
 * nothing yet. The index is shown beside the name, so "step N" would say nothing more.
 */
export function stepName(call: Pick<SpanRecord, "status">, decided: ModelDecision): string {
  return decidedStepName(call, decided) ?? "model call";
}

/** The step name a model call's decision implies; null when it decided nothing (yet). */
export function decidedStepName(call: Pick<SpanRecord, "status">, decided: ModelDecision): string | null {
  if (decided.toolNames.length > 0) return decided.toolNames.join(", ");
  if (call.status !== "ok" || !decided.finishReason) return null;
  if (decided.finishReason === "stop") return "answer";
  return TOOL_CALLS.test(decided.finishReason) ? "tool calls" : decided.finishReason;
}

/** Finish reasons saying the model called tools, where the call does not say which. */
const TOOL_CALLS = /^tool[-_]?calls?$/;

/** Each hex digit's bits flipped: as unique as the ID itself, and never equal to it. */
export function invertedId(spanId: string): string {
  return spanId.replace(/[0-9a-f]/g, (d) => (15 - Number.parseInt(d, 16)).toString(16));
}
