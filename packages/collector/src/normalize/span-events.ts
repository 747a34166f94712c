import * as C from "@flightrec/sdk/conventions";
import type { DecisionRecord, FailureRecord } from "../domain.js";
import { attributesToObject } from "../otlp/attributes.js";
import type { OtlpInt64, OtlpSpan } from "../otlp/types.js";
import { type Attributes, pickJson, pickNumber, pickString } from "./pick.js";
import { splitStackFromMessage } from "./stack-in-message.js";
import { storableTime, timeIfSet } from "./storable-time.js";

/** Decisions are span events named `flightrec.decision`. */
export function decisionsOf(span: OtlpSpan, stepIndex: number | null): DecisionRecord[] {
  const decisions: DecisionRecord[] = [];
  for (const event of span.events ?? []) {
    if (event.name !== C.EVENT_DECISION) continue;
    const attrs = attributesToObject(event.attributes);
    decisions.push({
      step: pickNumber(attrs, C.ATTR_STEP_INDEX) ?? stepIndex,
      action: pickString(attrs, C.ATTR_DECISION_ACTION) ?? "(unnamed)",
      reasoning: pickString(attrs, C.ATTR_DECISION_REASONING),
      inputTokens: pickNumber(attrs, C.GEN_AI_USAGE_INPUT_TOKENS),
      outputTokens: pickNumber(attrs, C.GEN_AI_USAGE_OUTPUT_TOKENS),
      costUsd: pickNumber(attrs, C.ATTR_COST_USD),
      details: pickJson(attrs, C.ATTR_DECISION_DETAILS),
      tsNs: storableTime(timeIfSet(event.timeUnixNano) ?? span.startTimeUnixNano, "event timeUnixNano"),
    });
  }
  return decisions;
}

/**
 * A failure is a span with error status; its `exception` event (OpenTelemetry semantic
 * conventions) gives type, message and stack, and `flightrec.failure.input` the input — else the
 * span's own input: a failing tool's arguments, whatever instrumentation recorded them.
 */
export function failureOf(
  span: OtlpSpan,
  attrs: Attributes,
  stepIndex: number | null,
  failed: boolean,
  ownInput: string | null,
): FailureRecord | null {
  if (!failed) return null;
  const exception = [...(span.events ?? [])].reverse().find((e) => e.name === "exception");
  const ex = attributesToObject(exception?.attributes);
  return {
    step: stepIndex,
    ...errorOf(ex, attrs, span),
    input: pickJson(attrs, C.ATTR_FAILURE_INPUT) ?? ownInput,
    context: pickJson(attrs, C.ATTR_RUN_INPUT),
    tsNs: failureTime(exception?.timeUnixNano, span),
  };
}

/**
 * What was thrown. Where only a message came (OpenInference on LangChain), its type and stack
 * may be inside it (stack-in-message.ts).
 */
function errorOf(ex: Attributes, attrs: Attributes, span: OtlpSpan) {
  const errorType = pickString(ex, "exception.type", "error.type") ?? pickString(attrs, "error.type");
  const message = pickString(ex, "exception.message") ?? span.status?.message ?? "error";
  const stack = pickString(ex, "exception.stacktrace");
  const split = errorType === null && stack === null ? splitStackFromMessage(message) : null;
  if (split) return { errorType: split.errorType, message: split.message || "error", stack: split.stack };
  return { errorType, message, stack };
}

/** A span's status message without a stack appended to it. */
export function statusMessageOf(span: OtlpSpan): string {
  const message = span.status?.message || "error";
  return splitStackFromMessage(message)?.message || message;
}

/** When the span failed: its exception event, else its end, else its start. */
function failureTime(exceptionTime: OtlpInt64 | undefined, span: OtlpSpan): bigint {
  const thrown = timeIfSet(exceptionTime);
  if (thrown !== undefined) return storableTime(thrown, "event timeUnixNano");
  // A pending span's end is not checked with its times: it may be the one that does not fit.
  return storableTime(timeIfSet(span.endTimeUnixNano) ?? span.startTimeUnixNano, "endTimeUnixNano");
}
