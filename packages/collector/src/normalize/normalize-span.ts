import * as C from "@flightrec/sdk/conventions";
import { priceUsage } from "@flightrec/sdk/pricing";
import type { SpanKindName, SpanRecord, SpanStatus } from "../domain.js";
import { OTLP_STATUS_ERROR, type OtlpSpan } from "../otlp/types.js";
import { type CallNaming, callNaming, callNamingAttributes } from "./call-named-step.js";
import { indexedMessages } from "./indexed-messages.js";
import {
  FIELD_KEYS,
  INDEXED_MESSAGES,
  numberedStepDecision,
  STEP_INDEX_RULES,
  STEP_NAME_INDEX,
  spanKindOf,
  WHOLE_MESSAGES,
} from "./mappings.js";
import { stepName } from "./opened-step.js";
import { type Attributes, pickBoolean, pickJson, pickNumber, pickString } from "./pick.js";
import { decisionsOf, failureOf, statusMessageOf } from "./span-events.js";
import { startTime, storableTime, timeIfSet } from "./storable-time.js";
import { storedResource } from "./stored-resource.js";
import { wholeMessages } from "./whole-messages.js";

export interface SpanSource {
  span: OtlpSpan;
  attrs: Attributes;
  resource: Attributes;
}

/** Maps one decoded span, from any supported instrumentation, to the domain record. Pure. */
export function normalizeSpan({ span, attrs, resource }: SpanSource): SpanRecord {
  const pending = pickBoolean(attrs, C.ATTR_SPAN_PENDING);
  const kind = spanKindOf(attrs, span.name);
  const stepIndex = stepIndexOf(attrs, kind, span.name);
  const status = spanStatus(span, pending);
  const startNs = startTime(span.startTimeUnixNano);
  const end = timeIfSet(span.endTimeUnixNano);
  const endNs = pending || end === undefined ? null : storableTime(end, "endTimeUnixNano");
  const usage = usageOf(attrs, kind);
  const naming = callNaming(attrs, kind, status, span.name);
  const input =
    (kind === "run" ? pickJson(attrs, C.ATTR_RUN_INPUT) : null) ??
    pickJson(attrs, ...FIELD_KEYS.input) ??
    indexedMessages(attrs, INDEXED_MESSAGES.input) ??
    wholeMessages(attrs, WHOLE_MESSAGES.input) ??
    pickJson(attrs, ...FIELD_KEYS.inputPayload);
  return {
    traceId: span.traceId.toLowerCase(),
    spanId: span.spanId.toLowerCase(),
    parentSpanId: span.parentSpanId ? span.parentSpanId.toLowerCase() : null,
    runId: pickString(attrs, C.ATTR_RUN_ID),
    runName:
      kind === "run"
        ? (pickString(attrs, ...FIELD_KEYS.runName) ?? span.name)
        : pickString(attrs, ...FIELD_KEYS.runNameOnEverySpan),
    requestId: pickString(attrs, ...FIELD_KEYS.requestId),
    service: pickString(resource, "service.name"),
    attempt: wholeNumber(attrs, C.ATTR_RUN_ATTEMPT, 1) ?? 1,
    kind,
    name: decidedStepName(attrs, kind, status) ?? pickString(attrs, ...FIELD_KEYS.name) ?? span.name,
    status,
    errorMessage: span.status?.code === OTLP_STATUS_ERROR ? statusMessageOf(span) : null,
    startNs,
    endNs,
    stepIndex,
    ...usage,
    input,
    output:
      pickJson(attrs, ...FIELD_KEYS.output) ??
      indexedMessages(attrs, INDEXED_MESSAGES.output) ??
      wholeMessages(attrs, WHOLE_MESSAGES.output) ??
      pickJson(attrs, ...FIELD_KEYS.outputPayload),
    attributes: JSON.stringify(withOurNames(attrs, naming)),
    resource: kind === "run" ? storedResource(resource) : null,
    pending,
    decisions: decisionsOf(span, stepIndex),
    failure: failureOf(span, attrs, stepIndex, status === "error", input),
    ...naming,
  };
}

/**
 * The attributes as received, plus our name for what a source calls otherwise (time to first
 * token), so the dashboard and SQL read one key whatever wrote the span, and what naming a step
 * by its model call needs (the store reads it back).
 */
function withOurNames(attrs: Attributes, naming: CallNaming | null): Attributes {
  const ours = naming ? { ...attrs, ...callNamingAttributes(naming) } : attrs;
  if (ours[C.ATTR_LLM_TIME_TO_FIRST_TOKEN_MS] !== undefined) return ours;
  const ttft = pickNumber(ours, ...FIELD_KEYS.timeToFirstTokenMs);
  return ttft === null ? ours : { ...ours, [C.ATTR_LLM_TIME_TO_FIRST_TOKEN_MS]: ttft };
}

/** Far more than any run has; a value beyond it is a bug, and an attempt of 1e20 would hide every later one. */
const MAX_COUNT = 1_000_000;

/** A whole-number attribute, or null when absent; anything else rejects the span, naming it. */
function wholeNumber(attrs: Attributes, key: string, min: number): number | null {
  const n = pickNumber(attrs, key);
  if (n === null || (Number.isInteger(n) && n >= min && n <= MAX_COUNT)) return n;
  throw new Error(`${key} must be a whole number from ${min} to ${MAX_COUNT}, got ${n}`);
}

/** A step its source names only by number gets the name of what its model call decided. */
function decidedStepName(attrs: Attributes, kind: SpanKindName, status: SpanStatus): string | null {
  const decided = kind === "step" ? numberedStepDecision(attrs) : null;
  return decided ? stepName({ status }, decided) : null;
}

function stepIndexOf(attrs: Attributes, kind: SpanKindName, name: string): number | null {
  const declared = wholeNumber(attrs, C.ATTR_STEP_INDEX, 0) ?? frameworkStepIndex(attrs);
  if (declared !== null || kind !== "step") return declared;
  for (const { pattern, base } of STEP_NAME_INDEX) {
    const numbered = pattern.exec(name);
    if (numbered) return Number(numbered[1]) + 1 - base;
  }
  return null;
}

/** A framework's own step number, when it is one a step can have (else the store numbers the step). */
function frameworkStepIndex(attrs: Attributes): number | null {
  for (const rule of STEP_INDEX_RULES) {
    const index = rule.index(attrs);
    if (index !== null) return Number.isInteger(index) && index >= 0 && index <= MAX_COUNT ? index : null;
  }
  return null;
}

function usageOf(attrs: Attributes, kind: SpanKindName) {
  const model = pickString(attrs, ...FIELD_KEYS.model);
  const provider = pickString(attrs, ...FIELD_KEYS.provider);
  const inputTokens = pickNumber(attrs, ...FIELD_KEYS.inputTokens);
  const outputTokens = pickNumber(attrs, ...FIELD_KEYS.outputTokens);
  let costUsd = pickNumber(attrs, ...FIELD_KEYS.costUsd);
  // Calls of other instrumentations report tokens but rarely cost: price them with the SDK's table.
  if (costUsd === null && kind === "llm" && model && (inputTokens !== null || outputTokens !== null)) {
    const price = priceUsage({
      provider: provider ?? undefined,
      model,
      inputTokens: inputTokens ?? 0,
      outputTokens: outputTokens ?? 0,
      cacheReadInputTokens: pickNumber(attrs, ...FIELD_KEYS.cacheReadTokens) ?? undefined,
      reasoningOutputTokens: pickNumber(attrs, ...FIELD_KEYS.reasoningTokens) ?? undefined,
    });
    costUsd = price.costUsd;
  }
  return { model, provider, inputTokens, outputTokens, costUsd };
}

function spanStatus(span: OtlpSpan, pending: boolean): SpanStatus {
  if (span.status?.code === OTLP_STATUS_ERROR) return "error";
  return pending ? "running" : "ok";
}
