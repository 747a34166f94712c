import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildSpanTree } from "./span-tree";
import { span } from "./test-spans";
import { barIn, buildTimeline, labelSide, laneWindow, ticks } from "./timeline";

const at = (ms: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + ms).toISOString();
const MIN = 60_000;

/** A run killed 250 ms into attempt 1 and resumed 25 minutes later for a 1 s attempt 2. */
function resumedRun() {
  return buildSpanTree([
    span({
      span_id: "r1",
      kind: "run",
      attempt: 1,
      started_at: at(0),
      duration_ms: 250,
      status: "error",
      error: "interrupted: no heartbeat",
    }),
    span({ span_id: "s1", parent_span_id: "r1", attempt: 1, started_at: at(10), duration_ms: 100 }),
    span({
      span_id: "s2",
      parent_span_id: "r1",
      attempt: 1,
      started_at: at(120),
      duration_ms: 130,
      status: "error",
      error: "interrupted: no heartbeat",
    }),
    span({ span_id: "r2", kind: "run", attempt: 2, started_at: at(25 * MIN), duration_ms: 1000 }),
    span({
      span_id: "s3",
      parent_span_id: "r2",
      attempt: 2,
      started_at: at(25 * MIN + 500),
      duration_ms: 500,
    }),
  ]);
}

describe("buildTimeline", () => {
  it("gives each attempt its own lane and counts the dead time between them apart", () => {
    const tree = resumedRun();
    const timeline = buildTimeline(tree, Date.parse(at(30 * MIN)));
    expect(timeline.lanes.map((l) => [l.attempt, l.endMs - l.startMs, l.gapMs])).toEqual([
      [1, 250, null],
      [2, 1000, 25 * MIN - 250],
    ]);
    expect(timeline.activeMs).toBe(1250);
    expect(timeline.wallMs).toBe(25 * MIN + 1000);
    expect(timeline.laneOf(tree.byId.get("s3")!).attempt).toBe(2);
  });

  it("draws the resumed attempt across its own track, not a sliver of the run's", () => {
    const tree = resumedRun();
    const timeline = buildTimeline(tree, 0);
    const s3 = tree.byId.get("s3")!;
    expect(barIn(laneWindow(timeline.laneOf(s3)), s3, 0)).toEqual({ left: 0.5, width: 0.5 });
  });

  it("does not stretch an older attempt's lane to now for a span it left running", () => {
    const tree = buildSpanTree([
      span({ span_id: "r1", attempt: 1, started_at: at(0), duration_ms: 100 }),
      span({
        span_id: "open",
        parent_span_id: "r1",
        attempt: 1,
        started_at: at(50),
        status: "running",
        duration_ms: null,
      }),
      span({ span_id: "r2", attempt: 2, started_at: at(MIN), status: "running", duration_ms: null }),
    ]);
    const now = Date.parse(at(2 * MIN));
    const [first, second] = buildTimeline(tree, now).lanes;
    expect(first!.endMs - first!.startMs).toBe(100);
    expect(second!.endMs).toBe(now);
  });

  it("counts overlapping attempts' common time once", () => {
    const tree = buildSpanTree([
      span({ span_id: "r1", attempt: 1, started_at: at(0), duration_ms: 1000 }),
      span({ span_id: "r2", attempt: 2, started_at: at(600), duration_ms: 1000 }),
    ]);
    const timeline = buildTimeline(tree, 0);
    expect(timeline.lanes[1]!.gapMs).toBe(0);
    expect(timeline.activeMs).toBe(1600);
  });
});

describe("barIn", () => {
  it("places bars as fractions of the window, a running span stretched to now", () => {
    const tree = buildSpanTree([
      span({ span_id: "r", started_at: at(0), duration_ms: 1000 }),
      span({ span_id: "c", parent_span_id: "r", started_at: at(500), duration_ms: 250 }),
      span({
        span_id: "open",
        parent_span_id: "r",
        started_at: at(500),
        status: "running",
        duration_ms: null,
      }),
    ]);
    const window = { startMs: tree.startMs, endMs: tree.startMs + 1000 };
    expect(barIn(window, tree.byId.get("c")!, 0)).toEqual({ left: 0.5, width: 0.25 });
    expect(barIn(window, tree.byId.get("open")!, tree.startMs + 2000)).toEqual({ left: 0.5, width: 0.5 });
    // Zoomed into the child: it fills the track; its parent is clipped to it.
    const zoom = { startMs: tree.startMs + 500, endMs: tree.startMs + 750 };
    expect(barIn(zoom, tree.byId.get("c")!, 0)).toEqual({ left: 0, width: 1 });
    expect(barIn(zoom, tree.byId.get("r")!, 0)).toEqual({ left: 0, width: 1 });
  });
});

describe("ticks", () => {
  it("puts ticks at round offsets across the window", () => {
    expect(ticks({ startMs: 1000, endMs: 2000 }).map((t) => t.offsetMs)).toEqual([
      0, 200, 400, 600, 800, 1000,
    ]);
    expect(ticks({ startMs: 0, endMs: 25 * MIN }).map((t) => t.offsetMs)).toEqual([
      0,
      5 * MIN,
      10 * MIN,
      15 * MIN,
      20 * MIN,
      25 * MIN,
    ]);
  });

  it("stays within the window with a handful of ticks, whatever its length", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e10, noNaN: true }), (length) => {
        const out = ticks({ startMs: 5, endMs: 5 + length });
        expect(out.length).toBeGreaterThanOrEqual(2);
        expect(out.length).toBeLessThanOrEqual(11);
        for (const t of out) expect(t.at).toBeGreaterThanOrEqual(0);
        for (const t of out) expect(t.at).toBeLessThanOrEqual(1 + 1e-9);
      }),
    );
  });
});

describe("labelSide", () => {
  it("never puts a duration label over its bar", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const bar = { left: Math.min(a, b), width: Math.abs(a - b) };
          const side = labelSide(bar);
          // A label needs a fifth of the track: after the bar, before it, or beside the name.
          if (side === "after") expect(1 - (bar.left + bar.width)).toBeGreaterThanOrEqual(0.2 - 1e-9);
          if (side === "before") expect(bar.left).toBeGreaterThanOrEqual(0.2);
        },
      ),
    );
    expect(labelSide({ left: 0, width: 1 })).toBe("name");
  });
});
