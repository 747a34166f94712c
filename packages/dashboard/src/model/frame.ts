import type { DecisionRow, FailureRow, RunDetail, SpanOutline, SpanRow } from "../api/schemas";
import { type ChatMessage, parseJsonText, parseMessages, parseSystemInstructions } from "./messages";

export interface RunEvents {
  decisionsBySpan: Map<string, DecisionRow[]>;
  failuresBySpan: Map<string, FailureRow>;
}

/** Groups a run's decisions and failures by the span they were recorded on. */
export function indexRunEvents(
  detail: Pick<RunDetail, "decisions" | "failures"> & { spans: readonly SpanOutline[] },
): RunEvents {
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

/** LLM details beyond the span columns, when the instrumentation recorded them. */
export interface LlmExtras {
  timeToFirstTokenMs: number | null;
  cachedInputTokens: number | null;
  reasoningTokens: number | null;
  reasoningText: string | null;
  finishReasons: string | null;
}

export function llmExtras(attrs: Record<string, unknown>): LlmExtras {
  const num = (key: string) => (typeof attrs[key] === "number" ? (attrs[key] as number) : null);
  const reasons = attrs["gen_ai.response.finish_reasons"];
  return {
    timeToFirstTokenMs: num("flightrec.llm.time_to_first_token_ms"),
    cachedInputTokens: num("gen_ai.usage.cache_read.input_tokens"),
    reasoningTokens: num("gen_ai.usage.reasoning.output_tokens"),
    reasoningText:
      typeof attrs["flightrec.llm.reasoning"] === "string"
        ? (attrs["flightrec.llm.reasoning"] as string)
        : null,
    finishReasons: Array.isArray(reasons) ? reasons.join(", ") : typeof reasons === "string" ? reasons : null,
  };
}
