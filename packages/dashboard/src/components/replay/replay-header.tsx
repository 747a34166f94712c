import { Link } from "react-router";
import type { RunRow } from "../../api/schemas";
import { formatClock, formatCost, formatDuration, formatTime, formatTokens } from "../../format";
import { runError, statusDetail } from "../../model/run-status";
import type { Timeline } from "../../model/timeline";
import { StatusBadge } from "../status-badge";

export function ReplayHeader({ run, timeline }: { run: RunRow; timeline: Timeline }) {
  const detail = statusDetail(run, formatClock);
  const error = runError(run);
  return (
    <header className="replay-head">
      <p>
        <Link to="/">← All runs</Link>
      </p>
      <h2>
        {run.name ?? "(unnamed run)"} <StatusBadge status={run.status} />
        {detail ? (
          <span className={`status-detail detail-${run.status}`} data-testid="status-detail">
            {detail}
          </span>
        ) : null}
      </h2>
      <dl className="facts facts-inline">
        <dt>Run</dt>
        <dd className="mono" data-testid="run-id">
          {run.run_id}
        </dd>
        <dt>Request</dt>
        <dd className="mono">{run.request_id ?? "—"}</dd>
        <dt>Started</dt>
        <dd>{formatTime(run.started_at)}</dd>
        <dt>Attempts</dt>
        <dd>{run.attempts}</dd>
        <dt>Duration</dt>
        <dd data-testid="run-duration">
          <RunDuration run={run} timeline={timeline} />
        </dd>
        <dt>Tokens</dt>
        <dd>{formatTokens(run.input_tokens, run.output_tokens)}</dd>
        <dt>Cost</dt>
        <dd>{formatCost(run.cost_usd)}</dd>
      </dl>
      {error ? <p className="error-text run-error">{error}</p> : null}
    </header>
  );
}

/**
 * Time the run actually ran: its attempts added up, the dead time between them left out (a run
 * resumed 25 minutes after a kill did not take 25 minutes), with the wall time beside it.
 */
function RunDuration({ run, timeline }: { run: RunRow; timeline: Timeline }) {
  const running = run.duration_ms === null ? " so far" : "";
  const wallMs = run.duration_ms ?? timeline.wallMs;
  const deadMs = wallMs - timeline.activeMs;
  if (timeline.lanes.length <= 1 || deadMs < 1000) return <>{formatDuration(wallMs) + running}</>;
  return (
    <>
      {formatDuration(timeline.activeMs)} running{running}
      <span className="muted"> · {formatDuration(wallMs)} wall</span>
    </>
  );
}
