import type { ReplayCursor } from "../../hooks/use-replay-cursor";
import { PLAY_SPEEDS } from "../../model/replay-cursor";

export interface PlayerProps {
  cursor: ReplayCursor;
  /** Frame of the first failure, for a one-click jump. */
  failureIndex: number | null;
  label: string;
  /** Framework plumbing in the run and whether it is shown as frames of its own. */
  plumbing: { count: number; shown: boolean; toggle: () => void };
}

/** Previous/next, play/pause with speed, and a scrubber over all frames. */
export function Player({ cursor, failureIndex, label, plumbing }: PlayerProps) {
  const { index, length } = cursor;
  return (
    <section className="player" aria-label="Replay controls">
      <button
        type="button"
        onClick={() => cursor.step(-1)}
        disabled={index <= 0}
        aria-label="Previous step"
        title="Previous (← or k)"
      >
        ◀ Prev
      </button>
      <button
        type="button"
        onClick={cursor.togglePlay}
        aria-label={cursor.playing ? "Pause" : "Play"}
        title="Play/pause (space)"
        className="play"
      >
        {cursor.playing ? "❚❚ Pause" : "▶ Play"}
      </button>
      <button
        type="button"
        onClick={() => cursor.step(1)}
        disabled={index >= length - 1}
        aria-label="Next step"
        title="Next (→ or j)"
      >
        Next ▶
      </button>
      <label className="speed">
        Speed
        <select
          value={cursor.speed}
          onChange={(e) => cursor.setSpeed(Number(e.target.value))}
          aria-label="Playback speed"
        >
          {PLAY_SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <input
        className="scrubber"
        type="range"
        min={0}
        max={Math.max(length - 1, 0)}
        value={index}
        onChange={(e) => cursor.go(Number(e.target.value))}
        aria-label="Scrub through the run"
      />
      <span className="position" data-testid="cursor-position">
        {length ? `${index + 1} / ${length}` : "0 / 0"}
      </span>
      <span className="muted position-label">{label}</span>
      {plumbing.count > 0 ? (
        <button
          type="button"
          className="plumbing-toggle"
          aria-pressed={plumbing.shown}
          onClick={plumbing.toggle}
          title="Framework internals (prompt templates, runnable sequences, lambdas): folded into the step they belong to unless shown"
        >
          <span aria-hidden="true">{plumbing.shown ? "☑" : "☐"}</span> Show plumbing ({plumbing.count})
        </button>
      ) : null}
      {failureIndex !== null ? (
        <button type="button" className="jump-failure" onClick={() => cursor.go(failureIndex)}>
          Jump to failure
        </button>
      ) : null}
    </section>
  );
}
