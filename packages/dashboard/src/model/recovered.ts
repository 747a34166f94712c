import type { RunStatus } from "../api/schemas";
import { spanStatus } from "./span-status";
import type { SpanTree } from "./span-tree";

/**
 * Spans that failed and that the run recovered from: the error stopped before the run did.
 * That is, some span around the failed one ended ok (a LangGraph tool node that turned the
 * error into a message, an agent loop that went on), or the run itself ended ok. Interrupted
 * spans did not fail on their own and are never recovered. Assumes depth-first pre-order.
 */
export function recoveredSpans(tree: SpanTree, runStatus: RunStatus): Set<string> {
  const recovered = new Set<string>();
  // okAbove[d]: whether an ancestor of the latest node at depth d + 1 ended ok.
  const okAbove: boolean[] = [];
  for (const node of tree.nodes) {
    const { span, depth } = node;
    const ancestorOk = depth > 0 && okAbove[depth - 1] === true;
    okAbove[depth] = ancestorOk || span.status === "ok";
    if (spanStatus(span) === "error" && (ancestorOk || runStatus === "ok")) recovered.add(span.span_id);
  }
  return recovered;
}
