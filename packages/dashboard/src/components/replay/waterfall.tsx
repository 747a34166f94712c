import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useRef } from "react";
import type { SpanRow } from "../../api/schemas";
import { formatDuration } from "../../format";
import { isReplayedStep } from "../../model/frame";
import { spanStatus } from "../../model/span-status";
import { barGeometry, type SpanNode, type SpanTree } from "../../model/span-tree";

export interface WaterfallProps {
  tree: SpanTree;
  cursor: number;
  onSelect: (index: number) => void;
  nowMs: number;
  /** Failed spans the run recovered from. */
  recovered: ReadonlySet<string>;
  /** Plumbing folded into each frame, by the frame's span ID. */
  folded: ReadonlyMap<string, readonly SpanRow[]>;
}

const ROW_HEIGHT = 26;

/** All spans as a virtualized waterfall: nesting by indent, duration by bar, cursor highlighted. */
export function Waterfall({ tree, cursor, onSelect, nowMs, recovered, folded }: WaterfallProps) {
  const scroller = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: tree.nodes.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  useEffect(() => {
    virtualizer.scrollToIndex(cursor, { align: "auto" });
  }, [cursor, virtualizer]);

  return (
    <section className="waterfall" ref={scroller} aria-label="Spans of this run">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((item) => {
          const node = tree.nodes[item.index]!;
          return (
            <WaterfallRow
              key={node.span.span_id}
              node={node}
              tree={tree}
              nowMs={nowMs}
              selected={item.index === cursor}
              recovered={recovered.has(node.span.span_id)}
              folded={folded.get(node.span.span_id)?.length ?? 0}
              top={item.start}
              onSelect={onSelect}
            />
          );
        })}
      </div>
    </section>
  );
}

interface RowProps {
  node: SpanNode;
  tree: SpanTree;
  nowMs: number;
  selected: boolean;
  recovered: boolean;
  folded: number;
  top: number;
  onSelect: (index: number) => void;
}

const WaterfallRow = memo(function WaterfallRow({
  node,
  tree,
  nowMs,
  selected,
  recovered,
  folded,
  top,
  onSelect,
}: RowProps) {
  const { span } = node;
  const status = recovered ? "recovered" : spanStatus(span);
  const bar = barGeometry(node, tree, nowMs);
  return (
    <button
      type="button"
      aria-current={selected ? "step" : undefined}
      className={`wf-row kind-${span.kind} st-${status} ${selected ? "selected" : ""}`}
      data-span-id={span.span_id}
      style={{ top, height: ROW_HEIGHT }}
      onClick={() => onSelect(node.index)}
    >
      <div className="wf-label" style={{ paddingLeft: 6 + Math.min(node.depth, 12) * 14 }}>
        <span className={`kind-tag kind-${span.kind}`}>{span.kind}</span>
        <span className="wf-name">{span.name}</span>
        {span.kind === "run" && span.attempt > 1 ? (
          <span className="wf-tag">attempt {span.attempt}</span>
        ) : null}
        {isReplayedStep(span.attributes) ? (
          <span className="wf-tag" title="returned its checkpoint instead of running again">
            replayed
          </span>
        ) : null}
        {folded > 0 ? (
          <span className="wf-tag wf-folded" title={`${folded} plumbing spans folded in`}>
            +{folded}
          </span>
        ) : null}
        {status === "error" ? (
          <span className="wf-flag wf-error" title="failed">
            ✕
          </span>
        ) : null}
        {status === "recovered" ? (
          <span className="wf-flag wf-recovered" title="failed · recovered">
            ✕
          </span>
        ) : null}
        {status === "interrupted" ? (
          <span className="wf-flag wf-interrupted" title={span.error ?? "interrupted"}>
            ⏹
          </span>
        ) : null}
        {span.status === "running" ? (
          <span className="wf-flag wf-running" title="still running">
            …
          </span>
        ) : null}
      </div>
      <div className="wf-track">
        <div
          className={`wf-bar ${span.status === "running" ? "wf-bar-running" : ""}`}
          style={{ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` }}
        />
        <span className="wf-dur">
          {span.status === "running" ? "running" : formatDuration(span.duration_ms)}
        </span>
      </div>
    </button>
  );
});
