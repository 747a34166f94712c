import type { SpanTree } from "./span-tree";

/** The replay's position, in the URL: `?span=<span id>` (exact) or `?step=<n>` (1-based frame). */
export function cursorFromSearch(search: URLSearchParams, tree: SpanTree): number {
  if (tree.nodes.length === 0) return 0;
  const spanId = search.get("span");
  if (spanId) {
    const node = tree.byId.get(spanId);
    if (node) return node.index;
  }
  const step = Number(search.get("step"));
  if (Number.isInteger(step) && step >= 1) return clampCursor(step - 1, tree.nodes.length);
  return 0;
}

export function clampCursor(index: number, length: number): number {
  if (length === 0) return 0;
  return Math.min(length - 1, Math.max(0, Math.trunc(index)));
}

/** The URL search for a cursor, keeping unrelated parameters. */
export function searchForCursor(search: URLSearchParams, tree: SpanTree, index: number): URLSearchParams {
  const next = new URLSearchParams(search);
  next.delete("step");
  const node = tree.nodes[clampCursor(index, tree.nodes.length)];
  if (node) next.set("span", node.span.span_id);
  return next;
}

export const PLAY_SPEEDS = [0.5, 1, 2, 4, 8] as const;

/** Milliseconds between frames while playing: one second per frame at 1×. */
export function playInterval(speed: number): number {
  return 1000 / (speed > 0 ? speed : 1);
}

/** The next cursor while playing; null at the end, where playback stops. */
export function nextPlayCursor(index: number, length: number): number | null {
  return index + 1 < length ? index + 1 : null;
}
