import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { fetchRun } from "../api/client";
import { formatCost, formatDuration } from "../format";

export function RunPage() {
  const { runId = "" } = useParams();
  const detail = useQuery({
    queryKey: ["run", runId],
    queryFn: () => fetchRun(runId),
    refetchInterval: 2000,
  });
  if (detail.isPending) return <p>Loading run…</p>;
  if (detail.isError) return <p role="alert">Could not load run: {detail.error.message}</p>;
  const { run, spans } = detail.data;
  return (
    <section>
      <p>
        <Link to="/">← All runs</Link>
      </p>
      <h2>
        {run.name} <span className={`status status-${run.status}`}>{run.status}</span>
      </h2>
      <p className="mono">
        run {run.run_id} · request {run.request_id ?? "—"} · {formatDuration(run.duration_ms)} ·{" "}
        {formatCost(run.cost_usd)}
      </p>
      <ol className="spans">
        {spans.map((span) => (
          <li key={span.span_id} data-kind={span.kind} className={`status-${span.status}`}>
            <span className="kind">{span.kind}</span> {span.name} · {formatDuration(span.duration_ms)}
            {span.error ? <span className="error"> · {span.error}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
