export interface WaterfallToolbarProps {
  query: string;
  onQuery: (query: string) => void;
  /** Frames matching the query, in order. */
  matches: readonly number[];
  cursor: number;
  onGo: (index: number) => void;
  /** Steps with spans under them: what "Collapse steps" folds. */
  stepIds: readonly string[];
  collapsedCount: number;
  onCollapse: (spanIds: readonly string[]) => void;
  /** Name of the span the time axis is zoomed to, if any. */
  zoomedTo: string | null;
  canZoom: boolean;
  onZoom: () => void;
  onUnzoom: () => void;
}

/** Search within the run, collapse steps, zoom the time axis to the selected span and back. */
export function WaterfallToolbar(props: WaterfallToolbarProps) {
  const { query, matches, cursor, onGo } = props;
  const next = matches.find((i) => i > cursor) ?? matches[0];
  const previous = [...matches].reverse().find((i) => i < cursor) ?? matches.at(-1);
  const at = matches.indexOf(cursor);
  return (
    <div className="wf-toolbar">
      <input
        type="search"
        className="wf-search"
        placeholder="Find spans (name, model, error)"
        aria-label="Find spans in this run"
        value={query}
        onChange={(e) => props.onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          const to = e.shiftKey ? previous : next;
          if (to !== undefined) onGo(to);
        }}
      />
      {query.trim() ? (
        <span className="muted wf-matches" data-testid="span-matches">
          {matches.length === 0
            ? "no match"
            : at >= 0
              ? `${at + 1} of ${matches.length}`
              : `${matches.length} ${matches.length === 1 ? "match" : "matches"}`}
        </span>
      ) : null}
      {matches.length > 0 ? (
        <>
          <button
            type="button"
            onClick={() => previous !== undefined && onGo(previous)}
            aria-label="Previous match"
          >
            ↑
          </button>
          <button type="button" onClick={() => next !== undefined && onGo(next)} aria-label="Next match">
            ↓
          </button>
        </>
      ) : null}
      <span className="wf-toolbar-gap" />
      {props.stepIds.length > 0 ? (
        props.collapsedCount > 0 ? (
          <button type="button" onClick={() => props.onCollapse([])}>
            Expand all
          </button>
        ) : (
          <button type="button" onClick={() => props.onCollapse(props.stepIds)}>
            Collapse steps
          </button>
        )
      ) : null}
      {props.zoomedTo !== null ? (
        <button
          type="button"
          onClick={props.onUnzoom}
          data-testid="unzoom"
          title={`Zoomed to ${props.zoomedTo}`}
        >
          Reset zoom
        </button>
      ) : null}
      {props.canZoom ? (
        <button
          type="button"
          onClick={props.onZoom}
          title="Zoom the time axis to the selected span (or double-click it)"
        >
          Zoom to span
        </button>
      ) : null}
    </div>
  );
}
