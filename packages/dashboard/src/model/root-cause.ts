import type { FailureRow } from "../api/schemas";
import type { SpanTree } from "./span-tree";

/**
 * The frame of the failure where the trouble started: an error propagates outward (tool →
 * step → run) and each level records a failure, so the first failure, in frame order, with
 * no failure inside its span is the cause. Null when no failure has a span in the tree.
 */
export function rootCauseIndex(tree: SpanTree, failures: readonly FailureRow[]): number | null {
  const failed = new Set(failures.map((f) => f.span_id));
  const hasFailedChild = new Set<string>();
  for (const node of tree.nodes) {
    const parent = node.span.parent_span_id;
    if (parent && failed.has(node.span.span_id)) hasFailedChild.add(parent);
  }
  let fallback: number | null = null;
  for (const node of tree.nodes) {
    if (!failed.has(node.span.span_id)) continue;
    if (!hasFailedChild.has(node.span.span_id)) return node.index;
    fallback ??= node.index;
  }
  return fallback;
}
