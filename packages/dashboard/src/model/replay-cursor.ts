import type { SpanTree } from "./span-tree";

/**
 * The replay's position, in the URL: `?span=<span id>` (exact) or `?step=<n>` (the run's step
 * n, as the SDK numbers steps; the first attempt that has it). Anything else opens frame 1, and
 * `cursorProblem` says why.
 */
export function cursorFromSearch(search: URLSearchParams, tree: SpanTree): number {
  if (tree.nodes.length === 0) return 0;
  const spanId = search.get("span");
  if (spanId) {
    const node = tree.byId.get(spanId);
    if (node) return node.index;
  }
  const step = stepFrame(search, tree);
  return step ?? 0;
}

function stepFrame(search: URLSearchParams, tree: SpanTree): number | null {
  const raw = search.get("step");
  if (raw === null) return null;
  const n = Number(raw);
  if (!Number.isInteger(n)) return null;
  const nodes = tree.nodes.filter((node) => node.span.step_index === n);
  return (nodes.find((node) => node.span.kind === "step") ?? nodes[0])?.index ?? null;
}

/** Why the URL's position was not found (and frame 1 opened instead), or null when it was. */
export function cursorProblem(search: URLSearchParams, tree: SpanTree): string | null {
  if (tree.nodes.length === 0) return null;
  const spanId = search.get("span");
  if (spanId && !tree.byId.has(spanId)) {
    return `This run has no span "${spanId}" (from the link's ?span=); showing the first frame.`;
  }
  const step = search.get("step");
  if (!spanId && step !== null && stepFrame(search, tree) === null) {
    return `This run has no step "${step}" (from the link's ?step=); showing the first frame.`;
  }
  return null;
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
