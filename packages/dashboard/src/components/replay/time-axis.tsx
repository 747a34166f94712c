import { formatDuration } from "../../format";
import { type TimeWindow, ticks } from "../../model/timeline";

/** Ticks over the waterfall's track column, labelled with the time since the window's start. */
export function TimeAxis({ window, className = "" }: { window: TimeWindow; className?: string }) {
  return (
    <div className={`wf-axis ${className}`} aria-hidden="true">
      <div className="wf-axis-track">
        {readableTicks(window).map((tick) => (
          <span
            key={tick.offsetMs}
            className={`wf-tick ${tick.at > 0.9 ? "wf-tick-end" : ""}`}
            style={{ left: `${tick.at * 100}%` }}
          >
            {tick.offsetMs === 0 ? "0" : formatDuration(tick.offsetMs)}
          </span>
        ))}
      </div>
    </div>
  );
}

/**
 * About four ticks fit the narrowest track the layout gives; the window's end is labelled only
 * when the tick before it leaves room for its label.
 */
function readableTicks(window: TimeWindow) {
  const all = ticks(window, 4);
  const last = all.at(-1);
  const before = all.at(-2);
  return last && before && last.at > 0.999 && before.at > 0.7 ? all.slice(0, -1) : all;
}
