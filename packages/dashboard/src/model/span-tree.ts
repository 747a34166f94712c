import type { SpanOutline } from "../api/schemas";

/** One row of the waterfall: a span with its place in the tree and on the time axis. */
export interface SpanNode {
  span: SpanOutline;
  depth: number;
  /** Position in depth-first order (the waterfall's row and the replay's frame). */
  index: number;
  startMs: number;
  /** Null while the span is still running. */
  endMs: number | null;
  childCount: number;
}

export interface SpanTree {
  nodes: SpanNode[];
  /** Earliest start over all spans, epoch ms. */
  startMs: number;
  /** Latest end (or start, for running spans) over all spans, epoch ms. */
  endMs: number;
  byId: Map<string, SpanNode>;
}

/**
 * Orders spans depth-first, children by start time. A span whose parent is not in the run
 * (another process, a lost span) becomes a root, so nothing received is ever hidden.
 */
export function buildSpanTree(spans: readonly SpanOutline[]): SpanTree {
  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string | null, SpanOutline[]>();
  for (const span of spans) {
    const parent = span.parent_span_id && ids.has(span.parent_span_id) ? span.parent_span_id : null;
    const list = children.get(parent);
    if (list) list.push(span);
    else children.set(parent, [span]);
  }
  for (const list of children.values()) list.sort(compareStart);

  const nodes: SpanNode[] = [];
  const byId = new Map<string, SpanNode>();
  // Iterative DFS: a 5,000-deep chain must not overflow the stack.
  const stack: { span: SpanOutline; depth: number }[] = [];
  const pushChildren = (parent: string | null, depth: number) => {
    const list = children.get(parent) ?? [];
    for (let i = list.length - 1; i >= 0; i--) stack.push({ span: list[i]!, depth });
  };
  pushChildren(null, 0);
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  while (stack.length > 0) {
    const { span, depth } = stack.pop()!;
    if (byId.has(span.span_id)) continue;
    const node = toNode(span, depth, nodes.length, children.get(span.span_id)?.length ?? 0);
    nodes.push(node);
    byId.set(span.span_id, node);
    startMs = Math.min(startMs, node.startMs);
    endMs = Math.max(endMs, node.endMs ?? node.startMs);
    pushChildren(span.span_id, depth + 1);
  }
  if (nodes.length === 0) startMs = endMs = 0;
  return { nodes, startMs, endMs, byId };
}

function toNode(span: SpanOutline, depth: number, index: number, childCount: number): SpanNode {
  const startMs = Date.parse(span.started_at);
  let endMs: number | null = null;
  if (span.status !== "running") {
    if (span.ended_at) endMs = Date.parse(span.ended_at);
    else if (span.duration_ms !== null) endMs = startMs + span.duration_ms;
  }
  return { span, depth, index, startMs, endMs, childCount };
}

function compareStart(a: SpanOutline, b: SpanOutline): number {
  const d = Date.parse(a.started_at) - Date.parse(b.started_at);
  return d !== 0 ? d : a.span_id < b.span_id ? -1 : 1;
}
