import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { SpanOutline } from "../../api/schemas";
import { formatDuration } from "../../format";
import { spanStatus } from "../../model/span-status";
import type { SpanNode, SpanTree } from "../../model/span-tree";
import {
  barIn,
  type Lane,
  labelSide,
  laneWindow,
  type Timeline,
  type TimeWindow,
} from "../../model/timeline";
import { ancestorIds, searchSpans, waterfallRows } from "../../model/waterfall-rows";
import { TimeAxis } from "./time-axis";
import { WaterfallToolbar } from "./waterfall-toolbar";

export interface WaterfallProps {
  tree: SpanTree;
  timeline: Timeline;
  cursor: number;
  onSelect: (index: number) => void;
  nowMs: number;
  /** Failed spans the run recovered from. */
  recovered: ReadonlySet<string>;
  /** Plumbing folded into each frame, by the frame's span ID. */
  folded: ReadonlyMap<string, readonly SpanOutline[]>;
}

const ROW_HEIGHT = 26;
const LANE_HEIGHT = 40;
/** Room in the label column for the collapse toggle. */
const TOGGLE_WIDTH = 16;

/**
 * All spans as a virtualized waterfall: nesting by indent, duration by bar on a time axis with
 * ticks, one lane per attempt (each on its own axis), the cursor highlighted. Subtrees collapse,
 * a span can be zoomed into, and a search finds spans by name, model or error.
 */
export function Waterfall({ tree, timeline, cursor, onSelect, nowMs, recovered, folded }: WaterfallProps) {
  const scroller = useRef<HTMLElement>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [zoomedTo, setZoomedTo] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const { rows, rowOfNode } = useMemo(
    () => waterfallRows(tree, timeline, collapsed),
    [tree, timeline, collapsed],
  );
  const matches = useMemo(() => searchSpans(tree, query), [tree, query]);
  const matched = useMemo(() => new Set(matches), [matches]);
  const zoomNode = zoomedTo === null ? undefined : tree.byId.get(zoomedTo);
  const windowOf = (lane: Lane): TimeWindow =>
    zoomNode && timeline.laneOf(zoomNode) === lane
      ? { startMs: zoomNode.startMs, endMs: zoomNode.endMs ?? Math.max(nowMs, lane.endMs) }
      : laneWindow(lane);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.kind === "lane" ? LANE_HEIGHT : ROW_HEIGHT),
    overscan: 15,
  });
  const cursorRow = rowOfNode[cursor] ?? 0;
  useEffect(() => {
    virtualizer.scrollToIndex(cursorRow, { align: "auto" });
  }, [cursorRow, virtualizer]);

  /** Goes to a frame, opening any collapsed span it is hidden under. */
  const reveal = (index: number) => {
    const node = tree.nodes[index];
    if (!node) return;
    const hiddenUnder = ancestorIds(tree, node).filter((id) => collapsed.has(id));
    if (hiddenUnder.length > 0) {
      setCollapsed((prev) => new Set([...prev].filter((id) => !hiddenUnder.includes(id))));
    }
    onSelect(index);
  };
  const toggle = (spanId: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(spanId)) next.add(spanId);
      return next;
    });
  const selected = tree.nodes[cursor];
  const single = timeline.lanes.length <= 1 ? timeline.lanes[0] : undefined;

  return (
    <section className="waterfall-panel" aria-label="Spans of this run">
      <WaterfallToolbar
        query={query}
        onQuery={setQuery}
        matches={matches}
        cursor={cursor}
        onGo={reveal}
        stepIds={tree.nodes
          .filter((n) => n.span.kind === "step" && n.childCount > 0)
          .map((n) => n.span.span_id)}
        collapsedCount={collapsed.size}
        onCollapse={(ids) => setCollapsed(new Set(ids))}
        zoomedTo={zoomNode?.span.name ?? null}
        canZoom={selected !== undefined && selected.span.span_id !== zoomedTo}
        onZoom={() => setZoomedTo(selected?.span.span_id ?? null)}
        onUnzoom={() => setZoomedTo(null)}
      />
      {single ? <TimeAxis className="wf-axis-top" window={windowOf(single)} /> : null}
      <section className="waterfall" ref={scroller}>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            if (row.kind === "lane") {
              return (
                <LaneHeader
                  key={`lane-${row.lane.attempt}`}
                  lane={row.lane}
                  tree={tree}
                  window={windowOf(row.lane)}
                  previous={timeline.lanes[timeline.lanes.indexOf(row.lane) - 1]}
                  top={item.start}
                />
              );
            }
            const { node } = row;
            return (
              <WaterfallRow
                key={node.span.span_id}
                node={node}
                window={windowOf(timeline.laneOf(node))}
                nowMs={nowMs}
                selected={item.index === cursorRow}
                recovered={recovered.has(node.span.span_id)}
                folded={folded.get(node.span.span_id)?.length ?? 0}
                matched={matched.has(node.index)}
                collapsed={collapsed.has(node.span.span_id)}
                top={item.start}
                onSelect={onSelect}
                onToggle={toggle}
                onZoom={setZoomedTo}
              />
            );
          })}
        </div>
      </section>
    </section>
  );
}

/** The start of an attempt: what became of it, how long it ran, the dead time before it. */
function LaneHeader({
  lane,
  tree,
  window,
  previous,
  top,
}: {
  lane: Lane;
  tree: SpanTree;
  window: TimeWindow;
  previous: Lane | undefined;
  top: number;
}) {
  const root = tree.nodes.find((n) => n.span.kind === "run" && n.span.attempt === lane.attempt);
  const status = root ? spanStatus(root.span) : null;
  const previousRoot = previous
    ? tree.nodes.find((n) => n.span.kind === "run" && n.span.attempt === previous.attempt)
    : undefined;
  const killed = previousRoot !== undefined && spanStatus(previousRoot.span) === "interrupted";
  return (
    <div className="wf-lane" style={{ top, height: LANE_HEIGHT }} data-attempt={lane.attempt}>
      <div className="wf-lane-label">
        {lane.gapMs !== null && lane.gapMs > 0 ? (
          <span className="wf-gap" data-testid="attempt-gap">
            {killed ? "killed" : "ended"} · {formatDuration(lane.gapMs)} · resumed
          </span>
        ) : null}
        <strong>Attempt {lane.attempt}</strong>
        {status ? <span className={`wf-lane-status st-${status}`}>{status}</span> : null}
        <span className="muted">ran {formatDuration(lane.endMs - lane.startMs)}</span>
      </div>
      <TimeAxis window={window} />
    </div>
  );
}

interface RowProps {
  node: SpanNode;
  window: TimeWindow;
  nowMs: number;
  selected: boolean;
  recovered: boolean;
  folded: number;
  matched: boolean;
  collapsed: boolean;
  top: number;
  onSelect: (index: number) => void;
  onToggle: (spanId: string) => void;
  onZoom: (spanId: string) => void;
}

const WaterfallRow = memo(function WaterfallRow({
  node,
  window,
  nowMs,
  selected,
  recovered,
  folded,
  matched,
  collapsed,
  top,
  onSelect,
  onToggle,
  onZoom,
}: RowProps) {
  const { span } = node;
  const status = recovered ? "recovered" : spanStatus(span);
  const bar = barIn(window, node, nowMs);
  const side = labelSide(bar);
  const indent = 6 + Math.min(node.depth, 12) * 14;
  const duration = span.status === "running" ? "running" : formatDuration(span.duration_ms);
  return (
    <>
      <button
        type="button"
        aria-current={selected ? "step" : undefined}
        className={`wf-row kind-${span.kind} st-${status} ${selected ? "selected" : ""} ${matched ? "wf-match" : ""}`}
        data-span-id={span.span_id}
        style={{ top, height: ROW_HEIGHT }}
        onClick={() => onSelect(node.index)}
        onDoubleClick={() => onZoom(span.span_id)}
        title="Double-click to zoom the time axis to this span"
      >
        <div className="wf-label" style={{ paddingLeft: indent + TOGGLE_WIDTH }}>
          <span className={`kind-tag kind-${span.kind}`}>{span.kind}</span>
          <span className="wf-name">{span.name}</span>
          {span.kind === "run" && span.attempt > 1 ? (
            <span className="wf-tag">attempt {span.attempt}</span>
          ) : null}
          {span.replayed ? (
            <span className="wf-tag" title="returned its checkpoint instead of running again">
              replayed
            </span>
          ) : null}
          {folded > 0 ? (
            <span className="wf-tag wf-folded" title={`${folded} plumbing spans folded in`}>
              +{folded}
            </span>
          ) : null}
          {collapsed ? (
            <span className="wf-tag wf-hidden" title="spans folded under this one">
              +{node.childCount} hidden
            </span>
          ) : null}
          <StatusFlag status={status} span={span} />
          {side === "name" ? <span className="wf-dur wf-dur-name">{duration}</span> : null}
        </div>
        <div className="wf-track">
          <div
            className={`wf-bar ${span.status === "running" ? "wf-bar-running" : ""}`}
            style={{ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` }}
          />
          {side === "after" ? (
            <span className="wf-dur" style={{ left: `calc(${(bar.left + bar.width) * 100}% + 4px)` }}>
              {duration}
            </span>
          ) : null}
          {side === "before" ? (
            <span className="wf-dur" style={{ right: `calc(${(1 - bar.left) * 100}% + 4px)` }}>
              {duration}
            </span>
          ) : null}
        </div>
      </button>
      {node.childCount > 0 ? (
        <button
          type="button"
          className="wf-toggle"
          style={{ top, left: indent - 2, height: ROW_HEIGHT }}
          aria-expanded={!collapsed}
          aria-label={`${collapsed ? "Expand" : "Collapse"} ${span.name}`}
          onClick={() => onToggle(span.span_id)}
        >
          {collapsed ? "▸" : "▾"}
        </button>
      ) : null}
    </>
  );
});

function StatusFlag({ status, span }: { status: string; span: SpanOutline }) {
  if (status === "error") {
    return (
      <span className="wf-flag wf-error" title="failed">
        ✕
      </span>
    );
  }
  if (status === "recovered") {
    return (
      <span className="wf-flag wf-recovered" title="failed · recovered">
        ✕
      </span>
    );
  }
  if (status === "interrupted") {
    return (
      <span className="wf-flag wf-interrupted" title={span.error ?? "interrupted"}>
        ⏹
      </span>
    );
  }
  if (span.status === "running") {
    return (
      <span className="wf-flag wf-running" title="still running">
        …
      </span>
    );
  }
  return null;
}
