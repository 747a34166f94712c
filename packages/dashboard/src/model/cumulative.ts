import type { SpanNode, SpanTree } from "./span-tree";
import { runningTime, type Timeline } from "./timeline";

/** What the run had spent by the end of a frame. */
export interface Totals {
  /** Time running so far: a resumed run's dead time between attempts is not counted. */
  elapsedMs: number;
  inputTokens: number;
  outputTokens: number;
  /** Known costs only; `unpricedModels` names the models whose calls had no known price. */
  costUsd: number;
  unpricedModels: readonly string[];
  llmCalls: number;
  toolCalls: number;
  errors: number;
}

/**
 * When the agent reached a frame: a span that contains others (run, step) at its start, since
 * the frames inside it come next; a call when it returned (or started, while still running).
 */
function momentOf(node: SpanNode): number {
  return node.childCount > 0 ? node.startMs : (node.endMs ?? node.startMs);
}

/**
 * Running totals per frame, computed once so moving the cursor is a lookup. Tokens and cost
 * count LLM spans only, as the run rollup does, so a step that repeats its calls' cost is
 * never counted twice.
 */
export function cumulativeTotals(tree: SpanTree, timeline: Timeline): Totals[] {
  const out: Totals[] = [];
  let acc: Totals = {
    elapsedMs: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    unpricedModels: [],
    llmCalls: 0,
    toolCalls: 0,
    errors: 0,
  };
  for (const node of tree.nodes) {
    const { span } = node;
    const unpriced =
      span.kind === "llm" && span.cost_usd === null ? (span.model ?? "an unnamed model") : null;
    acc = {
      elapsedMs: runningTime(timeline.lanes, momentOf(node)),
      inputTokens: acc.inputTokens + (span.kind === "llm" ? (span.input_tokens ?? 0) : 0),
      outputTokens: acc.outputTokens + (span.kind === "llm" ? (span.output_tokens ?? 0) : 0),
      costUsd: acc.costUsd + (span.kind === "llm" ? (span.cost_usd ?? 0) : 0),
      unpricedModels:
        unpriced === null || acc.unpricedModels.includes(unpriced)
          ? acc.unpricedModels
          : [...acc.unpricedModels, unpriced],
      llmCalls: acc.llmCalls + (span.kind === "llm" ? 1 : 0),
      toolCalls: acc.toolCalls + (span.kind === "tool" ? 1 : 0),
      errors: acc.errors + (span.status === "error" ? 1 : 0),
    };
    out.push(acc);
  }
  return out;
}
