import * as C from "@flightrec/sdk/conventions";
import type { SpanKindName, SpanRecord, SpanStatus } from "../domain.js";
import { OTLP_STATUS_ERROR, type OtlpSpan } from "../otlp/types.js";
import { type Attributes, pickBoolean, pickJson, pickNumber, pickString } from "./pick.js";
import { decisionsOf, failureOf } from "./span-events.js";

export interface SpanSource {
  span: OtlpSpan;
  attrs: Attributes;
  resource: Attributes;
}

/** Maps one decoded span to the domain record. Pure. */
export function normalizeSpan({ span, attrs, resource }: SpanSource): SpanRecord {
  const pending = pickBoolean(attrs, C.ATTR_SPAN_PENDING);
  const kind = spanKind(attrs);
  const stepIndex = pickNumber(attrs, C.ATTR_STEP_INDEX);
  const status = spanStatus(span, pending);
  const endNs = pending || span.endTimeUnixNano === undefined ? null : BigInt(span.endTimeUnixNano);
  return {
    traceId: span.traceId.toLowerCase(),
    spanId: span.spanId.toLowerCase(),
    parentSpanId: span.parentSpanId ? span.parentSpanId.toLowerCase() : null,
    runId: pickString(attrs, C.ATTR_RUN_ID),
    runName: kind === "run" ? (pickString(attrs, C.GEN_AI_AGENT_NAME) ?? span.name) : null,
    requestId: pickString(attrs, C.ATTR_REQUEST_ID),
    service: pickString(resource, "service.name"),
    attempt: pickNumber(attrs, C.ATTR_RUN_ATTEMPT) ?? 1,
    kind,
    name: span.name,
    status,
    errorMessage: span.status?.code === OTLP_STATUS_ERROR ? span.status.message || "error" : null,
    startNs: BigInt(span.startTimeUnixNano),
    endNs,
    stepIndex,
    model: pickString(attrs, C.GEN_AI_RESPONSE_MODEL, C.GEN_AI_REQUEST_MODEL),
    provider: pickString(attrs, C.GEN_AI_PROVIDER_NAME),
    inputTokens: pickNumber(attrs, C.GEN_AI_USAGE_INPUT_TOKENS),
    outputTokens: pickNumber(attrs, C.GEN_AI_USAGE_OUTPUT_TOKENS),
    costUsd: pickNumber(attrs, C.ATTR_COST_USD),
    input: pickJson(
      attrs,
      C.ATTR_STEP_INPUT,
      C.ATTR_RUN_INPUT,
      C.GEN_AI_INPUT_MESSAGES,
      C.GEN_AI_TOOL_CALL_ARGUMENTS,
    ),
    output: pickJson(
      attrs,
      C.ATTR_STEP_OUTPUT,
      C.ATTR_RUN_OUTPUT,
      C.GEN_AI_OUTPUT_MESSAGES,
      C.GEN_AI_TOOL_CALL_RESULT,
    ),
    attributes: JSON.stringify(attrs),
    pending,
    decisions: decisionsOf(span, stepIndex),
    failure: failureOf(span, attrs, stepIndex, status === "error"),
  };
}

function spanKind(attrs: Attributes): SpanKindName {
  const declared = pickString(attrs, C.ATTR_SPAN_KIND);
  if (declared === "run" || declared === "step" || declared === "llm" || declared === "tool") return declared;
  switch (pickString(attrs, C.GEN_AI_OPERATION_NAME)) {
    case C.GEN_AI_OPERATION.invokeAgent:
      return "run";
    case C.GEN_AI_OPERATION.executeTool:
      return "tool";
    case "chat":
    case "text_completion":
    case "generate_content":
    case "embeddings":
      return "llm";
    default:
      return "other";
  }
}

function spanStatus(span: OtlpSpan, pending: boolean): SpanStatus {
  if (span.status?.code === OTLP_STATUS_ERROR) return "error";
  return pending ? "running" : "ok";
}
