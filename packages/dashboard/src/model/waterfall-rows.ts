import type { SpanNode, SpanTree } from "./span-tree";
import type { Lane, Timeline } from "./timeline";

/** A row of the waterfall: an attempt's lane header (runs with several attempts) or a span. */
export type WaterfallRow = { kind: "lane"; lane: Lane } | { kind: "span"; node: SpanNode };

export interface WaterfallRows {
  rows: WaterfallRow[];
  /**
   * For each frame (node index), the row that shows it: its own, or that of the collapsed
   * ancestor it is hidden under, so the cursor always lands on a visible row.
   */
  rowOfNode: Int32Array;
}

/**
 * The rows the waterfall draws: spans in depth-first order, without the descendants of
 * collapsed spans, and a lane header before each attempt's first span when there are several.
 */
export function waterfallRows(
  tree: SpanTree,
  timeline: Timeline,
  collapsed: ReadonlySet<string>,
): WaterfallRows {
  const rows: WaterfallRow[] = [];
  const rowOfNode = new Int32Array(tree.nodes.length);
  const withLanes = timeline.lanes.length > 1;
  const headed = new Set<number>();
  // The depth of the collapsed span whose subtree is being skipped, and its row.
  let hiddenBelow = Number.POSITIVE_INFINITY;
  let hiddenRow = -1;
  for (const node of tree.nodes) {
    if (node.depth > hiddenBelow) {
      rowOfNode[node.index] = hiddenRow;
      continue;
    }
    hiddenBelow = Number.POSITIVE_INFINITY;
    const lane = timeline.laneOf(node);
    if (withLanes && !headed.has(lane.attempt)) {
      headed.add(lane.attempt);
      rows.push({ kind: "lane", lane });
    }
    rowOfNode[node.index] = rows.length;
    rows.push({ kind: "span", node });
    if (node.childCount > 0 && collapsed.has(node.span.span_id)) {
      hiddenBelow = node.depth;
      hiddenRow = rows.length - 1;
    }
  }
  return { rows, rowOfNode };
}

/** Span IDs of the ancestors of a node (nearest first), to open the way to it. */
export function ancestorIds(tree: SpanTree, node: SpanNode): string[] {
  const out: string[] = [];
  let parent = node.span.parent_span_id ? tree.byId.get(node.span.parent_span_id) : undefined;
  while (parent) {
    out.push(parent.span.span_id);
    parent = parent.span.parent_span_id ? tree.byId.get(parent.span.parent_span_id) : undefined;
  }
  return out;
}

/** Frames whose span matches a search: name, kind, model, provider, status or error, any case. */
export function searchSpans(tree: SpanTree, query: string): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return tree.nodes
    .filter(({ span }) =>
      [span.name, span.kind, span.model, span.provider, span.status, span.error].some((field) =>
        field?.toLowerCase().includes(q),
      ),
    )
    .map((node) => node.index);
}
