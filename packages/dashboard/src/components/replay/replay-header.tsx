import { Link } from "react-router";
import type { RunRow } from "../../api/schemas";
import { formatClock, formatCost, formatDuration, formatTime, formatTokens } from "../../format";
import { runError, statusDetail } from "../../model/run-status";
import { StatusBadge } from "../status-badge";

export function ReplayHeader({ run, elapsedMs }: { run: RunRow; elapsedMs: number }) {
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
        <dd>
          {run.duration_ms !== null ? formatDuration(run.duration_ms) : `${formatDuration(elapsedMs)} so far`}
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
