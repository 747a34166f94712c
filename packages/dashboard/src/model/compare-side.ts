import type { DecisionRow, RunDetail, RunRow, SpanRow } from "../api/schemas";
import { errorLine } from "./error-type-prefix";
import { spanAttributes } from "./frame";
import { spanStatus } from "./span-status";

/** One side of a compare: a run, or one attempt of it. */
export interface CompareSide {
  run: RunRow;
  /** The attempt shown; null when the run has no spans yet. */
  attempt: number | null;
  /** The run span of that attempt (its input, output and environment). */
  root: SpanRow | null;
  steps: StepFacts[];
  /** The attempt's OpenTelemetry resource attributes: service, SDK and runtime versions, host. */
  environment: Record<string, string>;
  totals: { inputTokens: number | null; outputTokens: number | null; costUsd: number | null };
}

/** What a step did, in the terms a compare puts side by side. */
export interface StepFacts {
  span: SpanRow;
  index: number | null;
  name: string;
  /** ok, error, running, interrupted, or replayed (a resumed attempt returned the checkpoint). */
  status: string;
  /** JSON text as recorded (compared as JSON: key order aside). */
  input: string | null;
  output: string | null;
  error: string | null;
  decisions: string[];
  models: string[];
  responseModels: string[];
  /** The model calls' input, JSON text as recorded. */
  llmInputs: string[];
  toolCalls: string[];
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  durationMs: number | null;
}

/**
 * One attempt of a run as a compare side: `attempt` null takes the newest. Steps are in index
 * order (unnumbered ones by start); each gathers the calls, decisions and failures beneath it.
 */
export function compareSide(detail: RunDetail, attempt: number | null): CompareSide {
  const shown = attempt ?? newestAttempt(detail.spans);
  const spans = detail.spans.filter((s) => s.attempt === shown);
  const steps = spans.filter((s) => s.kind === "step").sort(stepOrder);
  const facts = new Map(steps.map((s) => [s.span_id, emptyFacts(s)]));
  const stepOf = stepFactsOf(spans, facts);
  for (const s of spans) {
    const step = stepOf(s.span_id);
    if (step && s.kind === "llm") addCall(step, s);
    if (step && s.kind === "tool") step.toolCalls.push(`${s.name}(${canonicalJson(s.input) ?? ""})`);
  }
  const byIndex = new Map(steps.map((s) => [s.step_index, facts.get(s.span_id)!]));
  for (const d of detail.decisions.filter((d) => d.attempt === shown)) {
    // Older collectors leave a decision's span out; its step index still places it.
    const step = (d.span_id ? stepOf(d.span_id) : null) ?? (d.step === null ? null : byIndex.get(d.step));
    step?.decisions.push(decisionText(d));
  }
  for (const f of detail.failures.filter((f) => f.attempt === shown)) {
    const step = stepOf(f.span_id);
    // The step's own error wins; else the first failure beneath it (failures come in time order).
    if (step && step.error === null) step.error = errorLine(f.error_type, f.message);
  }
  const root = spans.find((s) => s.kind === "run") ?? null;
  return {
    run: detail.run,
    attempt: shown,
    root,
    steps: steps.map((s) => facts.get(s.span_id)!),
    environment: environmentOf(root, detail.run.service),
    totals: totalsOf(spans),
  };
}

function decisionText(d: DecisionRow): string {
  return d.reasoning ? `${d.action} — ${d.reasoning}` : d.action;
}

function newestAttempt(spans: readonly SpanRow[]): number | null {
  return spans.reduce<number | null>((max, s) => (max === null || s.attempt > max ? s.attempt : max), null);
}

function stepOrder(x: SpanRow, y: SpanRow): number {
  const byIndex = (x.step_index ?? Number.MAX_SAFE_INTEGER) - (y.step_index ?? Number.MAX_SAFE_INTEGER);
  return byIndex || x.started_at.localeCompare(y.started_at);
}

/** For a span ID, the facts of the nearest step at or above that span (null outside steps). */
function stepFactsOf(
  spans: readonly SpanRow[],
  facts: ReadonlyMap<string, StepFacts>,
): (spanId: string) => StepFacts | null {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  return (spanId) => {
    const seen = new Set<string>();
    for (let s = byId.get(spanId); s && !seen.has(s.span_id); s = byId.get(s.parent_span_id ?? "")) {
      const step = facts.get(s.span_id);
      if (step) return step;
      seen.add(s.span_id);
    }
    return null;
  };
}

function emptyFacts(span: SpanRow): StepFacts {
  const replayed = spanAttributes(span)["flightrec.step.replayed"] === true;
  return {
    span,
    index: span.step_index,
    name: span.name,
    status: replayed ? "replayed" : spanStatus(span),
    input: span.input,
    output: span.output,
    error: span.error,
    decisions: [],
    models: [],
    responseModels: [],
    llmInputs: [],
    toolCalls: [],
    inputTokens: span.input_tokens,
    outputTokens: span.output_tokens,
    costUsd: span.cost_usd,
    durationMs: span.duration_ms,
  };
}

/** A model call adds its model, its input and (where the step carries none of its own) its usage. */
function addCall(step: StepFacts, call: SpanRow): void {
  if (call.model) step.models.push(call.model);
  const response = spanAttributes(call)["gen_ai.response.model"];
  if (typeof response === "string") step.responseModels.push(response);
  if (call.input !== null) step.llmInputs.push(call.input);
  if (step.span.input_tokens === null) step.inputTokens = add(step.inputTokens, call.input_tokens);
  if (step.span.output_tokens === null) step.outputTokens = add(step.outputTokens, call.output_tokens);
  if (step.span.cost_usd === null) step.costUsd = add(step.costUsd, call.cost_usd);
}

function add(sum: number | null, value: number | null): number | null {
  return value === null ? sum : (sum ?? 0) + value;
}

function environmentOf(root: SpanRow | null, service: string | null): Record<string, string> {
  const parsed = root?.resource ? safeParse(root.resource) : null;
  const environment: Record<string, string> = {};
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const [key, value] of Object.entries(parsed)) {
      environment[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  // Collectors before the resource column kept the service name alone.
  if (service && !("service.name" in environment)) environment["service.name"] = service;
  return environment;
}

function totalsOf(spans: readonly SpanRow[]): CompareSide["totals"] {
  const calls = spans.filter((s) => s.kind === "llm");
  const sum = (pick: (s: SpanRow) => number | null) =>
    calls.reduce<number | null>((t, s) => add(t, pick(s)), null);
  return {
    inputTokens: sum((s) => s.input_tokens),
    outputTokens: sum((s) => s.output_tokens),
    costUsd: sum((s) => s.cost_usd),
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JSON text with object keys sorted, so key order never reads as a difference; other text as is. */
export function canonicalJson(text: string | null): string | null {
  if (text === null) return null;
  const parsed = safeParse(text);
  return parsed === undefined ? text : JSON.stringify(sortKeys(parsed), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
