import type { SpanOutline } from "../api/schemas";
import { spanStatus } from "./span-status";
import type { SpanNode, SpanTree } from "./span-tree";

/**
 * Framework plumbing: what the collector could not place as a run, step, LLM or tool call
 * (LangChain's prompt templates, runnable sequences and lambdas; LangGraph's `__start__` node).
 * A span still open, or one its attempt's death ended, is not: a framework names a node only
 * when it ends, so the node a run is in now — or was in when it was killed — is such a span,
 * and it is the frame the replay must show.
 */
export function isPlumbing(span: Pick<SpanOutline, "kind" | "status" | "error">): boolean {
  if (span.kind !== "other") return false;
  const status = spanStatus(span);
  return status !== "running" && status !== "interrupted";
}

/** The frames the replay walks, with the plumbing they hide. */
export interface ReplayView {
  tree: SpanTree;
  /** Plumbing spans that fold into a frame (all but roots), shown or not. */
  plumbing: number;
  /** Span ID of a frame → the plumbing folded into it (empty when everything is shown). */
  folded: Map<string, SpanOutline[]>;
}

/**
 * Folds each plumbing span into the frame it belongs to: its nearest ancestor that is not
 * plumbing. A root stays a frame whatever its kind (it is the run itself), so no span is ever
 * unreachable. The folded tree's `byId` maps a hidden span to its frame, so a link to one opens
 * the step that holds it. Assumes `full.nodes` is in depth-first pre-order (buildSpanTree).
 */
export function foldPlumbing(full: SpanTree, showAll: boolean): ReplayView {
  const plumbing = countPlumbing(full);
  if (showAll || plumbing === 0) return { tree: full, plumbing, folded: new Map() };
  const nodes: SpanNode[] = [];
  const byId = new Map<string, SpanNode>();
  const folded = new Map<string, SpanOutline[]>();
  // frameAt[d]: the frame that holds the latest node seen at depth d (itself, or its host).
  const frameAt: SpanNode[] = [];
  for (const node of full.nodes) {
    const host = node.depth > 0 ? frameAt[node.depth - 1] : undefined;
    if (host && isPlumbing(node.span)) {
      frameAt[node.depth] = host;
      byId.set(node.span.span_id, host);
      const list = folded.get(host.span.span_id);
      if (list) list.push(node.span);
      else folded.set(host.span.span_id, [node.span]);
      continue;
    }
    const frame: SpanNode = { ...node, depth: host ? host.depth + 1 : 0, index: nodes.length, childCount: 0 };
    if (host) host.childCount++;
    frameAt[node.depth] = frame;
    nodes.push(frame);
    byId.set(node.span.span_id, frame);
  }
  return { tree: { nodes, startMs: full.startMs, endMs: full.endMs, byId }, plumbing, folded };
}

function countPlumbing(tree: SpanTree): number {
  let n = 0;
  for (const node of tree.nodes) if (node.depth > 0 && isPlumbing(node.span)) n++;
  return n;
}
