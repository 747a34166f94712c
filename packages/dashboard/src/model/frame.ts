import type { DecisionRow, FailureRow, RunDetail, SpanRow } from "../api/schemas";
import { type ChatMessage, parseJsonText, parseMessages, parseSystemInstructions } from "./messages";

export interface RunEvents {
  decisionsBySpan: Map<string, DecisionRow[]>;
  failuresBySpan: Map<string, FailureRow>;
}

/** Groups a run's decisions and failures by the span they were recorded on. */
export function indexRunEvents(detail: Pick<RunDetail, "decisions" | "failures" | "spans">): RunEvents {
  const decisionsBySpan = new Map<string, DecisionRow[]>();
  const stepSpan = new Map<string, string>();
  for (const s of detail.spans) {
    if (s.kind === "step" && s.step_index !== null) stepSpan.set(`${s.attempt}:${s.step_index}`, s.span_id);
  }
  for (const d of detail.decisions) {
    // Older collectors leave span_id out; the step the decision was made in still places it.
    const spanId = d.span_id ?? (d.step === null ? null : stepSpan.get(`${d.attempt}:${d.step}`));
    if (!spanId) continue;
    const list = decisionsBySpan.get(spanId);
    if (list) list.push(d);
    else decisionsBySpan.set(spanId, [d]);
  }
  const failuresBySpan = new Map(detail.failures.map((f) => [f.span_id, f]));
  return { decisionsBySpan, failuresBySpan };
}

export function spanAttributes(span: SpanRow): Record<string, unknown> {
  const parsed = parseJsonText(span.attributes);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

export interface Conversation {
  input: ChatMessage[];
  output: ChatMessage[];
}

/** An LLM call's messages: GenAI attributes first, the stored input/output columns otherwise. */
export function llmConversation(span: SpanRow, attrs = spanAttributes(span)): Conversation {
  const system = parseSystemInstructions(attrs["gen_ai.system_instructions"]);
  const input = parseMessages(attrs["gen_ai.input.messages"] ?? span.input);
  const output = parseMessages(attrs["gen_ai.output.messages"] ?? span.output);
  const hasSystem = input.some((m) => m.role === "system");
  return {
    input: system && !hasSystem ? [system, ...input] : input,
    output: output.map((m) => (m.role === "user" || m.role === "unknown" ? { ...m, role: "assistant" } : m)),
  };
}

export interface ToolCall {
  arguments: unknown;
  result: unknown;
}

export function toolCall(span: SpanRow, attrs = spanAttributes(span)): ToolCall {
  return {
    arguments: parseJsonText(asText(attrs["gen_ai.tool.call.arguments"]) ?? span.input),
    result: parseJsonText(asText(attrs["gen_ai.tool.call.result"]) ?? span.output),
  };
}

function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A resumed run's step that returned its checkpoint instead of running again. A text test on
 * the attributes JSON, so waterfall rows never parse JSON while scrolling.
 */
export function isReplayedStep(attributes: string): boolean {
  return /"flightrec\.step\.replayed":\s*true/.test(attributes);
}
