import type { SpanNode, SpanTree } from "./span-tree";

/**
 * One attempt of a run on its own time axis. A resumed run's attempts can be minutes or days
 * apart; on one shared axis the dead time between them would squeeze the later attempt into a
 * sliver, so each attempt is drawn against its own start and end, and the gap is a label.
 */
export interface Lane {
  attempt: number;
  /** Epoch ms: the attempt's first span start. */
  startMs: number;
  /** Epoch ms: its last span end (now, for the newest attempt while something in it runs). */
  endMs: number;
  /** Dead time since the previous attempt ended; null for the first, 0 when they overlap. */
  gapMs: number | null;
}

export interface Timeline {
  lanes: Lane[];
  /** Time the run actually ran: its attempts' durations added up, the dead time between left out. */
  activeMs: number;
  /** First start to last end, dead time included. */
  wallMs: number;
  laneOf(node: SpanNode): Lane;
}

/**
 * The run's attempts as lanes. A span left `running` in an older attempt (no verdict yet) does
 * not stretch its lane to now: that attempt ended when it was last heard of.
 */
export function buildTimeline(tree: SpanTree, nowMs: number): Timeline {
  const newest = tree.nodes.reduce((max, n) => Math.max(max, n.span.attempt), 1);
  const bounds = new Map<number, { start: number; end: number; open: boolean }>();
  for (const node of tree.nodes) {
    const attempt = node.span.attempt;
    const b = bounds.get(attempt) ?? { start: node.startMs, end: node.startMs, open: false };
    b.start = Math.min(b.start, node.startMs);
    b.end = Math.max(b.end, node.endMs ?? node.startMs);
    if (node.endMs === null) b.open = true;
    bounds.set(attempt, b);
  }
  const lanes: Lane[] = [];
  for (const attempt of [...bounds.keys()].sort((a, b) => a - b)) {
    const b = bounds.get(attempt)!;
    const endMs = b.open && attempt === newest ? Math.max(b.end, nowMs) : b.end;
    const previous = lanes.at(-1);
    const gapMs = previous ? Math.max(0, b.start - previous.endMs) : null;
    lanes.push({ attempt, startMs: b.start, endMs, gapMs });
  }
  const byAttempt = new Map(lanes.map((lane) => [lane.attempt, lane]));
  const fallback: Lane = { attempt: 1, startMs: tree.startMs, endMs: tree.endMs, gapMs: null };
  return {
    lanes,
    activeMs: runningTime(lanes, Number.POSITIVE_INFINITY),
    wallMs: lanes.length ? lanes.at(-1)!.endMs - lanes[0]!.startMs : 0,
    laneOf: (node) => byAttempt.get(node.span.attempt) ?? fallback,
  };
}

/**
 * How long the run had been running by `moment` (epoch ms): the dead time between attempts left
 * out, and attempts that overlap (an agent thought dead that went on) counted once.
 */
export function runningTime(lanes: readonly Lane[], moment: number): number {
  let sum = 0;
  let covered = Number.NEGATIVE_INFINITY;
  for (const lane of lanes) {
    const from = Math.max(lane.startMs, covered);
    const to = Math.min(lane.endMs, moment);
    if (to > from) sum += to - from;
    covered = Math.max(covered, lane.endMs);
  }
  return sum;
}

/** The stretch of time a lane's axis shows: the whole attempt, or a span zoomed into. */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

export const laneWindow = (lane: Lane): TimeWindow => ({ startMs: lane.startMs, endMs: lane.endMs });

/** Where a node's bar sits in a window, as fractions of the track's width (0..1), clipped to it. */
export function barIn(window: TimeWindow, node: SpanNode, nowMs: number): { left: number; width: number } {
  const total = Math.max(window.endMs - window.startMs, 1);
  const start = clamp01((node.startMs - window.startMs) / total);
  const end = clamp01(((node.endMs ?? Math.max(nowMs, window.endMs)) - window.startMs) / total);
  return { left: start, width: Math.max(end - start, 0.002) };
}

/**
 * Where a bar's duration label goes so that it never covers a bar: after the bar when there is
 * room to its right, else before it, else (a bar across the whole track) beside the span's name.
 */
export function labelSide(bar: { left: number; width: number }): "after" | "before" | "name" {
  if (bar.left + bar.width <= 0.8) return "after";
  if (bar.left >= 0.2) return "before";
  return "name";
}

export interface Tick {
  /** Fraction of the track's width. */
  at: number;
  /** Milliseconds from the window's start. */
  offsetMs: number;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;
/** Round steps of a clock: past a second, 15 s, 30 s, 5 min, … rather than 20 s or 500 s. */
const CLOCK_STEPS = [
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  30 * S,
  M,
  2 * M,
  5 * M,
  10 * M,
  15 * M,
  30 * M,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  24 * H,
];

function roundStep(rough: number): number {
  if (rough > S && rough <= 24 * H) return CLOCK_STEPS.find((s) => s >= rough)!;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((s) => s * magnitude).find((s) => s >= rough)!;
}

/** Ticks at round offsets (1, 2, 5 × 10^k ms; clock steps past a second) from the window's start. */
export function ticks(window: TimeWindow, target = 5): Tick[] {
  const total = window.endMs - window.startMs;
  if (!(total > 0)) return [{ at: 0, offsetMs: 0 }];
  const step = roundStep(total / target);
  const out: Tick[] = [];
  for (let offset = 0; offset <= total + 1e-9; offset += step)
    out.push({ at: offset / total, offsetMs: offset });
  return out;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
