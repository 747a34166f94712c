import type { FailureRow } from "../api/schemas";
import { spanStatus } from "./span-status";
import type { SpanNode, SpanTree } from "./span-tree";

/**
 * The span where the trouble started. An error propagates outward (tool → step → run) and each
 * level fails, so the cause of a failed run is the deepest failing span the run did not recover
 * from — never the root that merely passed it on. When every failure was recovered from, the
 * first one with no failure inside it, in frame order. Null when nothing failed.
 */
export function rootCauseSpan(
  tree: SpanTree,
  failures: readonly FailureRow[],
  recovered: ReadonlySet<string>,
): string | null {
  const withFailure = new Set(failures.map((f) => f.span_id));
  const failing = tree.nodes.filter((n) => spanStatus(n.span) === "error" || withFailure.has(n.span.span_id));
  let deepest: SpanNode | null = null;
  for (const node of failing) {
    if (recovered.has(node.span.span_id)) continue;
    if (!deepest || node.depth > deepest.depth) deepest = node;
  }
  if (deepest) return deepest.span.span_id;
  const failingIds = new Set(failing.map((n) => n.span.span_id));
  const hasFailingChild = new Set<string>();
  for (const node of failing) {
    const parent = node.span.parent_span_id;
    if (parent && failingIds.has(parent)) hasFailingChild.add(parent);
  }
  return failing.find((n) => !hasFailingChild.has(n.span.span_id))?.span.span_id ?? null;
}
