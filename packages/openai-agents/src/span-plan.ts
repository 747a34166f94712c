import * as C from "@flightrec/sdk/conventions";
import type { SpanData } from "@openai/agents";
import type { Attributes } from "@opentelemetry/api";

/** Which Flightrec span an Agents SDK span becomes, known when it starts. */
export interface SpanPlan {
  /** `fold`: not a span of its own (its children go to its parent), like the runner's task span. */
  kind: "step" | "llm" | "tool" | "other" | "fold";
  name: string;
  attributes: Attributes;
}

/** Agents SDK span type, kept on every span for queries (`json_extract(attributes, …)`). */
export const ATTR_AGENTS_SPAN_TYPE = "openai_agents.span.type";
export const ATTR_GUARDRAIL_TRIGGERED = "openai_agents.guardrail.triggered";
export const ATTR_HANDOFF_FROM = "openai_agents.handoff.from_agent";
export const ATTR_HANDOFF_TO = "openai_agents.handoff.to_agent";

/**
 * A turn (one model call and the tools it asked for) is a step; model calls (`response` for the
 * Responses API, `generation` for Chat Completions) are LLM calls; function calls are tools; the
 * runner's task span folds into the run, which the trace itself is. Pure.
 */
export function planOf(data: SpanData): SpanPlan {
  const typed = { [ATTR_AGENTS_SPAN_TYPE]: data.type };
  switch (data.type) {
    case "task":
      return { kind: "fold", name: data.name, attributes: typed };
    case "turn":
      return {
        kind: "step",
        name: data.agent_name,
        attributes: { ...typed, [C.ATTR_SPAN_KIND]: "step", [C.ATTR_STEP_NAME]: data.agent_name },
      };
    case "response":
    case "generation":
      return {
        kind: "llm",
        name: C.GEN_AI_OPERATION.chat,
        attributes: {
          ...typed,
          [C.ATTR_SPAN_KIND]: "llm",
          [C.GEN_AI_OPERATION_NAME]: C.GEN_AI_OPERATION.chat,
          [C.GEN_AI_PROVIDER_NAME]: "openai",
        },
      };
    case "function":
      return {
        kind: "tool",
        name: `${C.GEN_AI_OPERATION.executeTool} ${data.name}`,
        attributes: {
          ...typed,
          [C.ATTR_SPAN_KIND]: "tool",
          [C.GEN_AI_OPERATION_NAME]: C.GEN_AI_OPERATION.executeTool,
          [C.GEN_AI_TOOL_NAME]: data.name,
        },
      };
    case "agent":
      return {
        kind: "other",
        name: `agent ${data.name}`,
        attributes: { ...typed, [C.GEN_AI_AGENT_NAME]: data.name },
      };
    case "handoff":
      return { kind: "other", name: "handoff", attributes: typed };
    case "guardrail":
      return { kind: "other", name: `guardrail ${data.name}`, attributes: typed };
    case "custom":
      return { kind: "other", name: data.name, attributes: typed };
    default:
      return { kind: "other", name: data.type, attributes: typed };
  }
}
