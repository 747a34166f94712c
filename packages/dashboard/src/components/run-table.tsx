import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { RunRow } from "../api/schemas";
import { formatClock, formatCost, formatDuration, formatRelative, formatTime, formatTokens } from "../format";
import { useListKeys } from "../hooks/use-list-keys";
import { runError, statusDetail } from "../model/run-status";
import type { RunSort, RunView } from "../model/run-view";
import { StatusBadge } from "./status-badge";

export interface RunTableProps {
  runs: RunRow[];
  view: RunView;
  onSort: (sort: RunSort) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** Runs picked for compare; with it, each row gets a box to pick it. */
  picked?: ReadonlySet<string>;
  onPick?: (runId: string) => void;
}

const COLUMNS: { key: string; label: string; sort?: RunSort }[] = [
  { key: "name", label: "Name", sort: "name" },
  { key: "id", label: "Run ID" },
  { key: "status", label: "Status" },
  { key: "started", label: "Started", sort: "started_at" },
  { key: "duration", label: "Duration", sort: "duration_ms" },
  { key: "steps", label: "Steps" },
  { key: "tokens", label: "Tokens" },
  { key: "cost", label: "Cost", sort: "cost_usd" },
  { key: "error", label: "Error" },
];

const ROW_HEIGHT = 44;

/** The runs as a virtualized grid: only rows in view are in the DOM, however many are loaded. */
export function RunTable({
  runs,
  view,
  onSort,
  hasMore,
  loadingMore,
  onLoadMore,
  picked,
  onPick,
}: RunTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the table is measured, assume it can be as tall as the window, so the first render
    // already has rows (without it, rows wait for a second pass after the measurement).
    initialRect: { width: 0, height: window.innerHeight },
  });
  const navigate = useNavigate();
  const scrollTo = useCallback(
    (index: number) => virtualizer.scrollToIndex(index, { align: "auto" }),
    [virtualizer],
  );
  const open = useCallback(
    (index: number) => {
      const run = runs[index];
      if (run) navigate(`/runs/${encodeURIComponent(run.run_id)}`);
    },
    [runs, navigate],
  );
  const active = useListKeys(runs.length, scrollTo, open);
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= runs.length - 20 && hasMore && !loadingMore) onLoadMore();
  }, [last, runs.length, hasMore, loadingMore, onLoadMore]);

  return (
    <div className="grid-table runs-table" ref={scroller}>
      <table aria-label="Runs" aria-rowcount={runs.length}>
        <thead>
          <tr className="grid-row grid-head">
            {COLUMNS.map((c) => (
              <th key={c.key} className={`col-${c.key}`} aria-sort={ariaSort(c.sort, view)}>
                {c.sort ? (
                  <button type="button" className="sort" onClick={() => onSort(c.sort!)}>
                    {c.label}
                    {view.sort === c.sort ? (view.order === "asc" ? " ▲" : " ▼") : ""}
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const run = runs[item.index]!;
            const pick = onPick && {
              picked: picked?.has(run.run_id) ?? false,
              toggle: () => onPick(run.run_id),
            };
            return (
              <RunRowView
                key={run.run_id}
                run={run}
                top={item.start}
                height={item.size}
                pick={pick}
                active={item.index === active}
              />
            );
          })}
        </tbody>
      </table>
      {hasMore ? (
        <div className="muted load-more">
          <button type="button" onClick={onLoadMore} disabled={loadingMore}>
            {loadingMore ? "Loading more…" : "Load more"}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function ariaSort(sort: RunSort | undefined, view: RunView) {
  if (!sort || view.sort !== sort) return undefined;
  return view.order === "asc" ? "ascending" : "descending";
}

interface RowPick {
  picked: boolean;
  toggle: () => void;
}

function RunRowView({
  run,
  top,
  height,
  pick,
  active = false,
}: {
  run: RunRow;
  top: number;
  height: number;
  pick?: RowPick;
  /** Highlighted by j / k. */
  active?: boolean;
}) {
  const href = `/runs/${encodeURIComponent(run.run_id)}`;
  const detail = statusDetail(run, formatClock);
  const shownError = runError(run);
  return (
    <tr
      className={`grid-row run-row row-${run.status}${active ? " row-active" : ""}`}
      aria-current={active ? "true" : undefined}
      data-run-id={run.run_id}
      data-status={run.status}
      style={{ position: "absolute", top, height, left: 0, right: 0 }}
    >
      <td className="col-name">
        {pick ? (
          <input
            type="checkbox"
            className="pick"
            aria-label={`Pick ${run.run_id} to compare`}
            checked={pick.picked}
            onChange={pick.toggle}
          />
        ) : null}
        {/* Stretched over the whole row (CSS), so a click anywhere on it opens the run. */}
        <Link to={href} className="row-link">
          {run.name ?? "(unnamed)"}
        </Link>
      </td>
      <td
        className="col-id mono"
        title={run.request_id ? `${run.run_id} · request ${run.request_id}` : run.run_id}
      >
        <CopyId id={run.run_id} />
        <span className="run-id">{run.run_id}</span>
      </td>
      <td className="col-status">
        <StatusBadge status={run.status} />
        {detail ? <span className="status-detail">{detail}</span> : null}
      </td>
      <td className="col-started">
        <span title={formatTime(run.started_at)}>{formatRelative(run.started_at)}</span>
      </td>
      <td className="col-duration">{formatDuration(run.duration_ms)}</td>
      <td className="col-steps">
        {run.steps}
        {run.attempts > 1 ? <span className="status-detail">{run.attempts} attempts</span> : null}
      </td>
      <td className="col-tokens">{formatTokens(run.input_tokens, run.output_tokens)}</td>
      {/* Tokens recorded but no cost: the store had no price for the model, which is not $0. */}
      {run.cost_usd === null && (run.input_tokens !== null || run.output_tokens !== null) ? (
        <td className="col-cost" title="No price known for this run's model">
          unknown
        </td>
      ) : (
        <td className="col-cost">{formatCost(run.cost_usd)}</td>
      )}
      <td className="col-error error-text" title={shownError ?? undefined}>
        {shownError ?? ""}
      </td>
    </tr>
  );
}

/** Copies a run ID; it sits above the row's link, so the click copies instead of opening. */
function CopyId({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy-id link"
      aria-label={`Copy run ID ${id}`}
      title="Copy run ID"
      onClick={() => {
        void navigator.clipboard?.writeText(id).then(() => setCopied(true));
      }}
    >
      {copied ? "copied" : "copy"}
    </button>
  );
}
